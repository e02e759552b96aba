#!/usr/bin/env python3
"""Runs what samlkit's CI integrations declare, the way their hosts would, on a workspace:

  ci_definitions.py action WORKSPACE [--input NAME=VALUE]...   the steps of action.yml
  ci_definitions.py hook WORKSPACE HOOK_ID [FILE]...            one hook of .pre-commit-hooks.yaml
  ci_definitions.py gitlab WORKSPACE                            the GitLab CI template in docs/ci.md

`action` runs each `run:` step of the composite action with bash as GitHub does
(`bash --noprofile --norc -eo pipefail`), with GITHUB_OUTPUT, GITHUB_PATH and the step's `env:`
(expressions `${{ inputs.* }}`, `${{ steps.*.outputs.* }}` and `${{ github.action_path }}`
evaluated); `uses:` steps (the cache) are not run, so their outputs are empty (a cache miss).
It stops at the first failing step and exits with its code, as the job would.

`hook` builds the command pre-commit would run: entry + args, plus the files (given, or every
file of the workspace) that match `files` and not `exclude` when `pass_filenames` is on; a hook
that matches no file is skipped. It exits with the hook's code.

`gitlab` runs the template job's `before_script` and `script` lines in one bash
(`set -eo pipefail`, as GitLab's runner does) with its variables, and then requires its
artifacts to exist. Its cache is taken as restored from the samlkit on the PATH (so the install
line's `test -x` holds), and the `apt-get` line, which prepares the job's container image, is
not run. It exits with the job's code.

Anything else in the definitions (another expression, `${{` inside a script, another shell or
language) is refused, so a change to them that this runner cannot follow fails the test instead
of passing untested."""

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def fail(message):
    print(f"ci_definitions: {message}", file=sys.stderr)
    sys.exit(2)


def evaluate(text, inputs, outputs):
    def value(match):
        name = match.group(1)
        parts = name.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            return inputs[parts[1]]
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return outputs.get(parts[1], {}).get(parts[3], "")
        if name == "github.action_path":
            return REPO
        fail(f"unsupported expression ${{{{ {name} }}}}")

    return EXPRESSION.sub(value, str(text))


def condition_holds(condition, outputs):
    match = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)\s*(==|!=)\s*'([^']*)'", condition.strip())
    if not match:
        fail(f"unsupported condition: {condition}")
    step, key, operator, expected = match.groups()
    actual = outputs.get(step, {}).get(key, "")
    return (actual == expected) == (operator == "==")


def read_outputs(path):
    values = {}
    with open(path) as handle:
        for line in handle:
            if "=" in line:
                key, _, value = line.rstrip("\n").partition("=")
                values[key] = value
    return values


def run_action(workspace, assignments):
    with open(os.path.join(REPO, "action.yml")) as handle:
        action = yaml.safe_load(handle)
    if action["runs"]["using"] != "composite":
        fail("action.yml is not a composite action")
    inputs = {name: spec.get("default", "") for name, spec in action.get("inputs", {}).items()}
    for assignment in assignments:
        name, _, value = assignment.partition("=")
        if name not in inputs:
            fail(f"action.yml has no input `{name}`")
        inputs[name] = value
    scratch = tempfile.mkdtemp(prefix="samlkit-action-")
    path_file = os.path.join(scratch, "github_path")
    open(path_file, "w").close()
    environment = dict(os.environ)
    environment.update(
        GITHUB_ACTION_PATH=REPO,
        GITHUB_WORKSPACE=os.path.abspath(workspace),
        GITHUB_PATH=path_file,
        RUNNER_OS="Linux",
        RUNNER_TEMP=scratch,
        RUNNER_TOOL_CACHE=os.path.join(scratch, "tool-cache"),
    )
    outputs = {}
    for index, step in enumerate(action["runs"]["steps"]):
        name = step.get("name", f"step {index + 1}")
        if "if" in step and not condition_holds(step["if"], outputs):
            print(f"== action step skipped (condition false): {name}", flush=True)
            continue
        if "uses" in step:
            print(f"== action step not run here: {name} ({step['uses']})", flush=True)
            continue
        if step.get("shell") != "bash":
            fail(f"step `{name}`: only `shell: bash` is supported")
        if "${{" in step["run"]:
            fail(f"step `{name}`: an expression inside `run:`; pass it through `env:`")
        output_file = os.path.join(scratch, f"output-{index}")
        open(output_file, "w").close()
        step_environment = dict(environment, GITHUB_OUTPUT=output_file)
        for key, text in step.get("env", {}).items():
            step_environment[key] = evaluate(text, inputs, outputs)
        with open(path_file) as handle:
            added = [line.strip() for line in handle if line.strip()]
        step_environment["PATH"] = os.pathsep.join(list(reversed(added)) + [environment["PATH"]])
        print(f"== action step: {name}", flush=True)
        script = os.path.join(scratch, f"step-{index}.sh")
        with open(script, "w") as handle:
            handle.write(step["run"])
        code = subprocess.call(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
            cwd=workspace,
            env=step_environment,
        )
        if code != 0:
            print(f"== action step failed with exit code {code}: {name}", flush=True)
            sys.exit(code)
        if "id" in step:
            outputs[step["id"]] = read_outputs(output_file)
    sys.exit(0)


def workspace_files(workspace):
    files = []
    for folder, _, names in os.walk(workspace):
        for file_name in names:
            files.append(os.path.relpath(os.path.join(folder, file_name), workspace))
    return sorted(files)


def run_hook(workspace, hook_id, given):
    with open(os.path.join(REPO, ".pre-commit-hooks.yaml")) as handle:
        hooks = {hook["id"]: hook for hook in yaml.safe_load(handle)}
    if hook_id not in hooks:
        fail(f"no hook `{hook_id}` in .pre-commit-hooks.yaml")
    hook = hooks[hook_id]
    if hook.get("language") not in ("rust", "system"):
        fail(f"hook `{hook_id}`: language {hook.get('language')} is not run here")
    files = given or workspace_files(workspace)
    included = re.compile(hook.get("files", ""))
    excluded = re.compile(hook["exclude"]) if "exclude" in hook else None
    matched = [f for f in files if included.search(f) and not (excluded and excluded.search(f))]
    if not matched and not hook.get("always_run", False):
        print(f"== hook {hook_id}: (no files to check) skipped", flush=True)
        sys.exit(0)
    command = shlex.split(hook["entry"]) + list(hook.get("args", []))
    if hook.get("pass_filenames", True):
        command += matched
    print(f"== hook {hook_id}: {shlex.join(command)}", flush=True)
    sys.exit(subprocess.call(command, cwd=workspace))


def gitlab_template():
    with open(os.path.join(REPO, "docs", "ci.md")) as handle:
        text = handle.read()
    section = text.split("\n## GitLab CI\n", 1)
    if len(section) != 2:
        fail("docs/ci.md has no GitLab CI section")
    block = re.search(r"```yaml\n(.*?)```", section[1], re.S)
    if not block:
        fail("docs/ci.md's GitLab CI section has no yaml block")
    return yaml.safe_load(block.group(1))


def run_gitlab(workspace):
    template = gitlab_template()
    variables = {k: str(v) for k, v in template.get("variables", {}).items()}
    jobs = {k: v for k, v in template.items() if isinstance(v, dict) and "script" in v}
    if len(jobs) != 1:
        fail(f"expected one job in the GitLab template, found {sorted(jobs)}")
    name, job = next(iter(jobs.items()))
    samlkit = shutil.which("samlkit")
    if not samlkit:
        fail("samlkit is not on the PATH (the job's cache is restored from it)")
    for cache_path in job.get("cache", {}).get("paths", []):
        bin_folder = os.path.join(workspace, cache_path, "bin")
        os.makedirs(bin_folder, exist_ok=True)
        shutil.copy(samlkit, os.path.join(bin_folder, "samlkit"))
    lines = []
    for line in job.get("before_script", []) + job["script"]:
        if line.startswith("apt-get "):
            print(f"== gitlab {name}: not run here (the job image's packages): {line}", flush=True)
            continue
        lines.append(line)
    print(f"== gitlab job {name}", flush=True)
    environment = dict(os.environ, **variables)
    code = subprocess.call(
        ["bash", "--noprofile", "--norc", "-c", "set -eo pipefail\n" + "\n".join(lines)],
        cwd=workspace,
        env=environment,
    )
    artifacts = job.get("artifacts", {})
    if code == 0 or artifacts.get("when") == "always":
        for path in artifacts.get("paths", []):
            if not os.path.exists(os.path.join(workspace, path)):
                fail(f"the job left no artifact {path}")
    print(f"== gitlab job {name} ended with exit code {code}", flush=True)
    sys.exit(code)


def main(arguments):
    if len(arguments) >= 2 and arguments[0] == "action":
        assignments = []
        rest = arguments[2:]
        while rest:
            if rest[0] != "--input" or len(rest) < 2:
                fail(f"unexpected argument {rest[0]}")
            assignments.append(rest[1])
            rest = rest[2:]
        run_action(arguments[1], assignments)
    elif len(arguments) >= 3 and arguments[0] == "hook":
        run_hook(arguments[1], arguments[2], arguments[3:])
    elif len(arguments) == 2 and arguments[0] == "gitlab":
        run_gitlab(arguments[1])
    else:
        fail(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
