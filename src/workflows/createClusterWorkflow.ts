// Create Cluster: asks where, which database, which images, which WA_API_VERSION and how many coreapps,
// explains the DB password, writes the folder, then opens it. No vscode: the prompts and the way a
// folder is opened are injected (the command is a thin adapter; tests script the answers).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SHARD_COUNTS } from '../contract';
import {
  ClusterDatabase, ClusterFolderPlan, ClusterImages, FOLDER_FILES, META_COREAPPS, TemplateReader,
  coreappsChoiceProblem, folderNameProblem, planClusterFolder, versionChoiceProblem,
} from '../create/clusterFolderPlan';
import { writeClusterFolder } from '../create/clusterFolderWriter';
import { dbPasswordNotes } from '../create/dbPassword';
import { imageRepositories } from '../create/localImages';
import { t } from '../l10n';

export interface PickItem<T> { label: string; description?: string; detail?: string; value: T }

/** The questions Create Cluster asks; undefined or false: the user cancelled. */
export interface CreateClusterPrompter {
  pickFolder(options: { title: string; defaultPath?: string }): Promise<string | undefined>;
  input(options: { title: string; prompt: string; value?: string; placeholder?: string; validate(value: string): string | undefined }): Promise<string | undefined>;
  pick<T>(options: { title: string; placeholder: string; items: PickItem<T>[] }): Promise<T | undefined>;
  /** A modal question with one action button (and Cancel). */
  confirm(options: { message: string; detail: string; action: string }): Promise<boolean>;
}

export type OpenHow = 'open' | 'add';

export interface CreateClusterDeps {
  prompter: CreateClusterPrompter;
  templates: TemplateReader;
  /** WA_API_VERSIONs of the given images present on the engine, newest first. */
  localImageVersions(images: ClusterImages): Promise<string[]>;
  /** Prefix of the emulator images (WABA_EMULATOR_IMAGES), when set. */
  emulatorNamespace?: string;
  /** Where the folder dialog starts (the home folder, like the guide's ~/biz). */
  defaultParent?: string;
  /** Whether a folder is open already: then the new one may be added to the workspace instead. */
  hasWorkspaceFolder(): boolean;
  openFolder(dir: string, how: OpenHow): Promise<void>;
}

/** Answers given up front (automation, tests); the prompter asks for the rest. */
export interface CreateClusterAnswers {
  parent?: string;
  name?: string;
  db?: ClusterDatabase;
  images?: ClusterImages;
  version?: string;
  coreapps?: number;
  confirmed?: boolean;
  open?: OpenHow | false;
}

export type CreateClusterResult = { created: false } | { created: true; dir: string; plan: ClusterFolderPlan; opened: OpenHow | false };

const STEPS = 6;
const TYPE_VERSION = Symbol('type a version');
const OTHER_COUNT = -1;

export class CreateClusterWorkflow {
  constructor(private readonly deps: CreateClusterDeps) {}

  async run(answers: CreateClusterAnswers = {}): Promise<CreateClusterResult> {
    const { prompter } = this.deps;
    const title = (step: number, what: string) => t('Create Cluster ({0}/{1}): {2}', step, STEPS, what);
    const parent = answers.parent ?? (await prompter.pickFolder({ title: title(1, t('where should the cluster folder go?')), defaultPath: this.deps.defaultParent }));
    if (!parent) return { created: false };
    const name = answers.name ?? (await prompter.input({
      title: title(2, t('folder name')),
      prompt: t('A new folder in {0}. Its name gives the compose project: biz → containers biz_db_1, biz_waweb_1, …', parent),
      value: 'biz',
      validate: (value) => folderNameProblem(value) ?? existingClusterProblem(join(parent, value.trim())),
    }));
    if (!name) return { created: false };
    const dir = join(parent, name.trim());

    const db = answers.db ?? (await prompter.pick<ClusterDatabase>({
      title: title(3, t('database')), placeholder: t('Which database do the nodes share?'),
      items: [
        { label: 'MySQL', description: 'mysql:8.0.33', detail: t("Meta's installation/multiconnect-compose.yml. Upgrades can use Meta's DB upgrade job (no downtime)."), value: 'mysql' },
        { label: 'PostgreSQL', description: 'postgres:13.8', detail: t("Meta's installation/postgres/multiconnect-compose.yml. Meta ships no DB upgrade job for it: upgrades restart the cluster."), value: 'postgres' }, // l10n-ignore: product names
      ],
    }));
    if (!db) return { created: false };

    const emulatorRepos = imageRepositories('emulator', this.deps.emulatorNamespace);
    const images = answers.images ?? (await prompter.pick<ClusterImages>({
      title: title(4, t('images')), placeholder: t('Which images run the webapp, masters and coreapps?'),
      items: [
        { label: t("Meta's images"), description: 'docker.whatsapp.biz/web, docker.whatsapp.biz/coreapp', detail: t("The WhatsApp Business API client itself; the engine must be able to pull them from Meta's registry (or have them already)."), value: 'meta' },
        { label: t('Emulator images'), description: `${emulatorRepos.web}, ${emulatorRepos.coreapp}`, detail: t("Local stand-ins built by this project's emulator (not WhatsApp software), under Meta's unchanged compose file plus an image-only override."), value: 'emulator' },
      ],
    }));
    if (!images) return { created: false };

    const version = answers.version ?? (await this.askVersion(title(5, 'WA_API_VERSION'), images));
    if (!version) return { created: false };
    const coreapps = answers.coreapps ?? (await this.askCoreapps(title(6, t('coreapps'))));
    if (!coreapps) return { created: false };

    const plan = planClusterFolder({ folderName: name.trim(), db, version, coreapps, images, emulatorNamespace: this.deps.emulatorNamespace }, this.deps.templates);
    const text = (file: string) => plan.files.find((f) => f.name === file)?.text ?? '';
    const confirmed = answers.confirmed ?? (await prompter.confirm({
      message: t('Create the cluster folder {0}?', dir),
      detail: [
        t('{0} · {1} · WA_API_VERSION={2} · {3} coreapps · compose project {4}', db === 'mysql' ? 'MySQL' : 'PostgreSQL', images === 'meta' ? t("Meta's images") : t('emulator images'), plan.version, coreapps, plan.project),
        t("Files: {0}. Meta's files are written unchanged.", plan.files.map((f) => f.name).join(', ')),
        '',
        ...dbPasswordNotes(text(FOLDER_FILES.dbEnv), text(FOLDER_FILES.compose)),
      ].join('\n'),
      action: t('Create Cluster Folder'),
    }));
    if (!confirmed) return { created: false };

    writeClusterFolder(dir, plan.files);
    const how = answers.open ?? (this.deps.hasWorkspaceFolder()
      ? await prompter.pick<OpenHow>({
        title: t('Cluster folder created'), placeholder: t('Open {0}?', dir),
        items: [
          { label: t('Open Folder'), detail: t('Replace the folder open in this window.'), value: 'open' },
          { label: t('Add to Workspace'), detail: t('Keep the open folders and add this one.'), value: 'add' },
        ],
      })
      : 'open');
    if (how) await this.deps.openFolder(dir, how);
    return { created: true, dir, plan, opened: how ?? false };
  }

  private async askVersion(title: string, images: ClusterImages): Promise<string | undefined> {
    const { prompter } = this.deps;
    const local = await this.deps.localImageVersions(images);
    const repos = imageRepositories(images, this.deps.emulatorNamespace);
    const typed = () => prompter.input({
      title, prompt: local.length ? t('WA_API_VERSION: the tag of {0} and {1} without its v', repos.web, repos.coreapp) : t('WA_API_VERSION: the tag of {0} and {1} without its v (none of them is on this engine yet)', repos.web, repos.coreapp),
      placeholder: '2.53.1', validate: (v) => versionChoiceProblem(v.trim()),
    }).then((v) => v?.trim());
    if (local.length === 0) return typed();
    const picked = await prompter.pick<string | typeof TYPE_VERSION>({
      title, placeholder: t('Versions of the images on this engine first'),
      items: [
        ...local.map((v) => ({ label: v, description: t('{0} and {1} are local', `${repos.web}:v${v}`, `${repos.coreapp}:v${v}`), value: v })),
        { label: t('Type a version…'), description: t('pulled on the first start when not local'), value: TYPE_VERSION },
      ],
    });
    return picked === TYPE_VERSION ? typed() : picked;
  }

  private async askCoreapps(title: string): Promise<number | undefined> {
    const { prompter } = this.deps;
    const counts = SHARD_COUNTS.filter((s) => s + 1 >= META_COREAPPS).map((shards) => shards + 1);
    const picked = await prompter.pick<number>({
      title, placeholder: t('How many coreapps? Meta recommends shards + 1, so one can take over from a failed one.'),
      items: [
        ...counts.map((n) => ({
          label: String(n),
          description: n === META_COREAPPS ? t("{0} shards + 1 standby: wacore1–wacore3, Meta's compose file as it is", n - 1) : t('{0} shards + 1 standby: wacore4–wacore{1} in {2}', n - 1, n, FOLDER_FILES.coreapps),
          value: n,
        })),
        { label: t('Other number…'), value: OTHER_COUNT },
      ],
    });
    if (picked !== OTHER_COUNT) return picked;
    const typed = await prompter.input({ title, prompt: t('Number of coreapps'), placeholder: String(META_COREAPPS), validate: (v) => coreappsChoiceProblem(Number(v)) });
    return typed ? Number(typed) : undefined;
  }
}

function existingClusterProblem(dir: string): string | undefined {
  return existsSync(join(dir, FOLDER_FILES.compose)) ? t('{0} is a cluster folder already: open it instead, or pick another name.', dir) : undefined;
}
