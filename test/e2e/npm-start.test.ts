import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { projectRoot } from '../../src/lib/project-root.js';

/**
 * `npm start` compiles only when the sources changed (scripts/build-if-changed.js): a restart
 * with nothing changed must not pay for a whole `tsc` run. The script runs here in a copy of the
 * project's layout whose `tsc` only records that it was called, so each case takes milliseconds.
 */

const SCRIPT = path.join(projectRoot(), 'scripts', 'build-if-changed.js');

describe('npm start', () => {
  let root: string;
  let calls: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-start-'));
    calls = path.join(root, 'tsc-calls');
    fs.mkdirSync(path.join(root, 'scripts'));
    fs.copyFileSync(SCRIPT, path.join(root, 'scripts', 'build-if-changed.js'));
    fs.mkdirSync(path.join(root, 'src', 'lib'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src', 'cli.ts'), 'export const a = 1;\n');
    fs.writeFileSync(path.join(root, 'src', 'lib', 'b.ts'), 'export const b = 2;\n');
    fs.writeFileSync(path.join(root, 'package.json'), '{"type":"module"}\n');
    fs.writeFileSync(path.join(root, 'tsconfig.build.json'), '{}\n');
    const fakeTsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    fs.mkdirSync(path.dirname(fakeTsc), { recursive: true });
    fs.writeFileSync(
      fakeTsc,
      [
        "const fs = require('node:fs');",
        "fs.appendFileSync('tsc-calls', process.argv.slice(2).join(' ') + '\\n');",
        "fs.mkdirSync('dist/src', { recursive: true });",
        "fs.writeFileSync('dist/src/cli.js', '');",
      ].join('\n'),
    );
    // The fake tsc is CommonJS inside a module-typed project.
    fs.writeFileSync(path.join(root, 'node_modules', 'typescript', 'package.json'), '{}\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  function start(): { compiled: boolean; stdout: string } {
    const before = fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8') : '';
    const run = spawnSync(process.execPath, ['scripts/build-if-changed.js'], { cwd: root });
    assert.equal(run.status, 0, run.stderr.toString());
    const afterRun = fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8') : '';
    return { compiled: afterRun !== before, stdout: run.stdout.toString() };
  }

  it('runs the check before every start, not a whole build', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    assert.equal(pkg.scripts.prestart, 'node scripts/build-if-changed.js');
  });

  it('compiles on the first start and after a change, and not when nothing changed', () => {
    assert.equal(start().compiled, true, 'first start: nothing built yet');
    assert.equal(
      fs.readFileSync(calls, 'utf8').trim(),
      '-p tsconfig.build.json',
      'the build is the one `npm run build` runs',
    );
    const again = start();
    assert.equal(again.compiled, false, 'restart with nothing changed');
    assert.match(again.stdout, /up to date/);
    fs.writeFileSync(path.join(root, 'src', 'lib', 'b.ts'), 'export const b = 3;\n');
    assert.equal(start().compiled, true, 'an edited source');
    assert.equal(start().compiled, false);
    fs.writeFileSync(path.join(root, 'src', 'lib', 'c.ts'), 'export const c = 4;\n');
    assert.equal(start().compiled, true, 'a new source');
    fs.rmSync(path.join(root, 'src', 'lib', 'c.ts'));
    assert.equal(start().compiled, true, 'a removed source');
    fs.writeFileSync(path.join(root, 'tsconfig.build.json'), '{"compilerOptions":{}}\n');
    assert.equal(start().compiled, true, 'a changed compiler configuration');
    fs.rmSync(path.join(root, 'dist', 'src', 'cli.js'));
    assert.equal(start().compiled, true, 'the compiled entry point is gone');
    assert.equal(start().compiled, false);
  });

  it('stops the start when the build fails', () => {
    fs.writeFileSync(
      path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      'process.exit(2);\n',
    );
    fs.writeFileSync(path.join(root, 'src', 'lib', 'b.ts'), 'export const b = ;\n');
    const run = spawnSync(process.execPath, ['scripts/build-if-changed.js'], { cwd: root });
    assert.equal(run.status, 2);
    assert.match(run.stderr.toString(), /build failed/);
  });
});
