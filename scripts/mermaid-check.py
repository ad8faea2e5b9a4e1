#!/usr/bin/env python3
"""Checks mermaid diagrams with the real mermaid.js parser (mermaid.parse), offline, under Node.js.

Usage: mermaid-check.py [--quiet] FILE...   (FILE may be '-' for standard input)
  A .md/.markdown file is checked block by block: every ```mermaid fenced block in it (reported as FILE:LINE,
  LINE being the block's first line; one without any is reported as 'skip' and passes). Any other file is one
  diagram.
  Prints 'ok NAME (diagram type)' or 'FAIL NAME: parse error' per diagram; exits 0 if all parse, 1 if any fails,
  2 if the checker itself could not run (no node, no mermaid.js, timeout).

Where mermaid.js comes from: the PyPI wheel mermaidx (MIT), which vendors mermaid's official IIFE bundle
(mermaidx 0.10.1 -> mermaid 11.16.0, at mermaidx/assets/mermaid.js) together with a DOM shim
(mermaidx/assets/dom_shim.js) that is enough for mermaid to load and sanitize labels outside a browser.
Install it once, without its dependencies (only the two .js files are used):
    python3 -m pip install -q --no-deps --target /var/cache/berth-mermaid mermaidx==0.10.1
Search order for the assets directory (the one holding mermaid.js and dom_shim.js):
    $BERTH_MERMAID_ASSETS if set (then nothing else), else <root>/mermaidx/assets for root in $BERTH_MERMAID_HOME, /var/cache/berth-mermaid,
    ~/.cache/berth/mermaid, then a mermaidx importable by this python.
$BERTH_MERMAID_JS and $BERTH_MERMAID_SHIM override the two files one by one; $BERTH_NODE the node binary
(default: node on PATH); $BERTH_MERMAID_TIMEOUT the time limit in seconds for the whole run (default 60).

The JS runs in a fresh node:vm context that holds only the shim and mermaid (no require, no fetch, no process),
so a diagram cannot reach the network or the file system.
"""
import importlib.util, json, os, re, shutil, subprocess, sys, tempfile

DRIVER = r"""
const fs = require('fs'), vm = require('vm');
const [shimPath, mermaidPath, jobsPath, verbose] = process.argv.slice(2);
const log = verbose === '1' ? (s) => process.stderr.write('[mermaid] ' + s + '\n') : () => {};
const ctx = vm.createContext({ __log: log });
vm.runInContext(fs.readFileSync(shimPath, 'utf8'), ctx, { filename: 'dom_shim.js' });
vm.runInContext(fs.readFileSync(mermaidPath, 'utf8'), ctx, { filename: 'mermaid.js' });
const mermaid = vm.runInContext(
  'globalThis.mermaid || (globalThis.__esbuild_esm_mermaid_nm.mermaid.default || globalThis.__esbuild_esm_mermaid_nm.mermaid)', ctx);
if (!mermaid || typeof mermaid.parse !== 'function') { process.stderr.write('mermaid.parse not found in bundle\n'); process.exit(3); }
mermaid.initialize({ startOnLoad: false });
const jobs = JSON.parse(fs.readFileSync(jobsPath, 'utf8'));
(async () => {
  const out = [];
  for (const job of jobs) {
    try {
      const r = await mermaid.parse(job.text);
      out.push({ name: job.name, ok: true, type: r && r.diagramType });
    } catch (e) {
      out.push({ name: job.name, ok: false, error: String((e && e.message) || e) });
    }
  }
  process.stdout.write(JSON.stringify({ results: out }) + '\n');
})().catch((e) => { process.stderr.write('driver failed: ' + (e && e.stack || e) + '\n'); process.exit(3); });
"""

FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*mermaid\b.*$")


def find_assets():
    shim, js = os.environ.get("BERTH_MERMAID_SHIM"), os.environ.get("BERTH_MERMAID_JS")
    dirs = []
    if os.environ.get("BERTH_MERMAID_ASSETS"):  # an explicit choice: no fallback to the defaults
        d = os.environ["BERTH_MERMAID_ASSETS"]
        s, j = shim or os.path.join(d, "dom_shim.js"), js or os.path.join(d, "mermaid.js")
        return (s, j) if os.path.isfile(s) and os.path.isfile(j) else (None, None)
    roots = [os.environ.get("BERTH_MERMAID_HOME"), "/var/cache/berth-mermaid",
             os.path.expanduser("~/.cache/berth/mermaid")]
    dirs += [os.path.join(r, "mermaidx", "assets") for r in roots if r]
    try:
        spec = importlib.util.find_spec("mermaidx")
        if spec and spec.submodule_search_locations:
            dirs += [os.path.join(p, "assets") for p in spec.submodule_search_locations]
    except Exception:
        pass
    for d in dirs:
        s, j = shim or os.path.join(d, "dom_shim.js"), js or os.path.join(d, "mermaid.js")
        if os.path.isfile(s) and os.path.isfile(j):
            return s, j
    if shim and js and os.path.isfile(shim) and os.path.isfile(js):
        return shim, js
    return None, None


def jobs_from(path):
    """(name, text) for each diagram in path."""
    if path == "-":
        return [("<stdin>", sys.stdin.read())]
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not path.lower().endswith((".md", ".markdown")):
        return [(path, text)]
    jobs, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, start, body = m.group(2), i + 1, []
        i += 1
        while i < len(lines) and not (lines[i].strip().startswith(fence[0] * len(fence))
                                      and set(lines[i].strip()) == {fence[0]}):
            body.append(lines[i][len(m.group(1)):] if lines[i].startswith(m.group(1)) else lines[i])
            i += 1
        jobs.append((f"{path}:{start + 1}", "\n".join(body)))
        i += 1
    return jobs


def main(argv):
    quiet = "--quiet" in argv or "-q" in argv
    verbose = "--verbose" in argv or "-v" in argv
    paths = [a for a in argv if a not in ("--quiet", "-q", "--verbose", "-v")]
    if not paths or any(a in ("-h", "--help") for a in paths):
        print(__doc__.strip())
        return 0 if paths else 2
    node = os.environ.get("BERTH_NODE") or shutil.which("node") or shutil.which("nodejs")
    if not node:
        print("mermaid-check: no node (install Debian's nodejs)", file=sys.stderr)
        return 2
    shim, js = find_assets()
    if not js:
        print("mermaid-check: mermaid.js not found; install it with: python3 -m pip install -q --no-deps "
              "--target /var/cache/berth-mermaid mermaidx==0.10.1 (or set BERTH_MERMAID_ASSETS)", file=sys.stderr)
        return 2
    jobs, failed = [], 0
    for p in paths:
        try:
            found = jobs_from(p)
        except (OSError, UnicodeDecodeError) as e:
            print(f"FAIL {p}: {e}")
            failed += 1
            continue
        if not found and not quiet:
            print(f"skip {p}: no mermaid block in it")
        jobs += found
    if not jobs:
        return 1 if failed else 0
    timeout = float(os.environ.get("BERTH_MERMAID_TIMEOUT", "60"))
    with tempfile.TemporaryDirectory(prefix="mermaid-check.") as tmp:
        driver, jobs_file = os.path.join(tmp, "driver.js"), os.path.join(tmp, "jobs.json")
        with open(driver, "w", encoding="utf-8") as f:
            f.write(DRIVER)
        with open(jobs_file, "w", encoding="utf-8") as f:
            json.dump([{"name": n, "text": t} for n, t in jobs], f)
        try:
            proc = subprocess.run([node, driver, shim, js, jobs_file, "1" if verbose else "0"],
                                  stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout, cwd=tmp)
        except subprocess.TimeoutExpired:
            print(f"mermaid-check: timed out after {timeout:g}s", file=sys.stderr)
            return 2
        except OSError as e:
            print(f"mermaid-check: cannot run {node}: {e}", file=sys.stderr)
            return 2
    if proc.returncode != 0 or not proc.stdout.strip():
        print(f"mermaid-check: node failed (exit {proc.returncode}): {proc.stderr.strip()[-2000:]}", file=sys.stderr)
        return 2
    sys.stderr.write(proc.stderr)
    try:
        report = json.loads(proc.stdout.strip().splitlines()[-1])
    except ValueError:
        print(f"mermaid-check: unexpected output from node: {proc.stdout[-2000:]}", file=sys.stderr)
        return 2
    with open(js, encoding="utf-8", errors="replace") as f:
        m = re.search(r'\{version:"([0-9][^"]*)"\}', f.read())
    version = m.group(1) if m else "?"
    for r in report["results"]:
        if r["ok"]:
            if not quiet:
                print(f"ok {r['name']} ({r.get('type')}, mermaid {version})")
        else:
            failed += 1
            print(f"FAIL {r['name']}: " + r["error"].replace("\n", "\n    "))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
