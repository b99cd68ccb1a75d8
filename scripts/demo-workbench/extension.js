// npm start's demo profile only (scripts/start.mjs installs it there): the window opens on the
// cluster. The guide's walkthrough is the one editor, and the WABA Cluster view has the focus.
'use strict';
const vscode = require('vscode');

const WALKTHROUGH = 'waba-cluster.waba-cluster#wabaCluster.guide';

exports.activate = async () => {
  const run = (command, ...args) => vscode.commands.executeCommand(command, ...args).then(undefined, (e) => console.warn(`[demo-workbench] ${command}: ${e}`));
  await run('workbench.action.openWalkthrough', WALKTHROUGH, false);
  await run('workbench.view.extension.wabaCluster');
  await run('wabaCluster.nodes.focus');
};
