#!/usr/bin/env python3
"""One harness for both deploy tools: runs the command, then polls the manager's API (GET /tasks over its unix
socket, every 100 ms) until every service of the stack has a running task (or, with --remove, until the stack has no
task left). Prints the command's own time and the time to that state, from the same clock."""
import argparse, os, http.client, json, socket, statistics, subprocess, sys, time, urllib.parse

class Unix(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.path = path
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)

def tasks(path, stack):
    connection = Unix(path)
    query = urllib.parse.quote(json.dumps({"label": [f"com.docker.stack.namespace={stack}"]}))
    connection.request("GET", f"/v1.41/tasks?filters={query}")
    body = json.loads(connection.getresponse().read())
    connection.close()
    return body

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--socket", required=False, default="/run/berth-swarm/berth-node1/docker.sock")
    parser.add_argument("--stack")
    parser.add_argument("--services", type=int, default=0)
    parser.add_argument("--remove", action="store_true")
    parser.add_argument("--repeat", type=int, default=0)
    parser.add_argument("--label", default="")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command and args.command[0] == "--" else args.command
    if args.repeat:
        times = []
        for _ in range(args.repeat):
            start = time.monotonic()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append((time.monotonic() - start) * 1000)
        print(f"{args.label}: median {statistics.median(times):.0f} ms, min {min(times):.0f} ms, max {max(times):.0f} ms over {len(times)} runs")
        return
    start = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    returned = time.monotonic() - start
    deadline = start + 600
    while time.monotonic() < deadline:
        current = tasks(args.socket, args.stack)
        if args.remove:
            if not current:
                break
        else:
            running = {t["ServiceID"] for t in current if t["Status"]["State"] == "running" and t["DesiredState"] == "running"}
            if len(running) >= args.services:
                break
        time.sleep(0.1)
    else:
        sys.exit(f"{args.stack}: timed out")
    done = time.monotonic() - start
    what = "removed" if args.remove else f"all {args.services} services running"
    print(f"{os.path.basename(command[0])} {'rm' if args.remove else 'deploy'} {args.stack}: command {returned:.2f} s, {what} after {done:.2f} s")

main()
