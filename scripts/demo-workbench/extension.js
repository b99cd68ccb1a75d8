// npm start's demo profile only (scripts/start.mjs installs it there): the window opens on the
// cluster. The guide's walkthrough is the one editor, and the WABA Cluster view has the focus.
'use strict';
const vscode = require('vscode');

const WALKTHROUGH = 'waba-cluster.waba-cluster#wabaCluster.guide';
/** How long after opening the walkthrough its page build may still take the focus back (slow machine). */
const SETTLE_MS = 3000;

exports.activate = async () => {
  const run = (command, ...args) => vscode.commands.executeCommand(command, ...args).then(undefined, (e) => console.warn(`[demo-workbench] ${command}: ${e}`));
  const focusView = async () => {
    await run('workbench.view.extension.wabaCluster');
    await run('wabaCluster.nodes.focus');
  };
  // The walkthrough builds its page after the editor opened, titles its tab and focuses its selected step
  // (the demo profile turns its slide animation off, so that focus comes at once). The view is focused
  // when the editor has opened and again when the tab gets its title, if that comes soon: never later,
  // when the user may be typing somewhere.
  const opened = Date.now();
  const titled = new Promise((resolve) => {
    const sub = vscode.window.tabGroups.onDidChangeTabs((e) => {
      if (!e.changed.some((tab) => tab.input === undefined || typeof tab.input !== 'object' || !('uri' in tab.input))) return;
      sub.dispose();
      resolve(Date.now() - opened <= SETTLE_MS);
    });
    setTimeout(() => { sub.dispose(); resolve(false); }, SETTLE_MS);
  });
  await run('workbench.action.openWalkthrough', WALKTHROUGH, false);
  await focusView();
  if (await titled) await focusView();
};
