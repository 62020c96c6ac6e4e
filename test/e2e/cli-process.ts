import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/lib/project-root.js';

/**
 * Runs the real `byline` command in a child process, from source through tsx, as a newsroom
 * would run it: the journeys that cross processes (locks, restarts, NOTIFY) are tested this way.
 */

const CLI = path.join(projectRoot(), 'src', 'cli.ts');

export type CliResult = { code: number | null; stdout: string; stderr: string };

function cliEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    BYLINE_LOG_LEVEL: 'warn',
    BYLINE_PORT: '0',
    ...env,
  };
}

export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: cliEnv(env),
      cwd: projectRoot(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export type RunningServer = {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
  kill(): Promise<void>;
};

export function startServer(env: Record<string, string>): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve'], {
      env: cliEnv(env),
      cwd: projectRoot(),
    });
    let output = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Byline is running at (http:\/\/\S+?)\/? /.exec(output);
      if (match?.[1]) {
        resolve({
          url: match[1],
          child,
          output: () => output,
          stop: async () => {
            child.kill('SIGTERM');
            return exited;
          },
          kill: async () => {
            child.kill('SIGKILL');
            await exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) =>
      reject(new Error(`byline serve exited with ${code} before listening:\n${output}`)),
    );
  });
}
