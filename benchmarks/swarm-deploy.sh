#!/usr/bin/env bash
# berth stack deploy against docker stack deploy, on the three-node lab, timed by one harness (benchmarks/swarm_timer.py)
# that starts the deploy command and waits through the manager's API until every task of the stack is running.
#   bash scripts/swarm-lab.sh up 3 && bash benchmarks/swarm-deploy.sh
# The stack is 20 busybox services in the v3 subset the docker CLI accepts (version "3.8", dnsrr, one replica each).
# Both deploy with --resolve-image never (the lab has no registry the nodes reach). Each round removes the stack and
# waits until its tasks are gone before the other tool deploys. Then the no-op redeploy (the same file again) is timed
# for both, on a converged stack.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib --scratch-path .build-static >/dev/null
bin=$(pwd)/.build-static/release
bash scripts/swarm-lab.sh up 3 >/dev/null
manager=/run/berth-swarm/berth-node1/docker.sock
out=$(mktemp -d)
{
  echo 'version: "3.8"'
  echo 'services:'
  for i in $(seq -w 1 20); do
    printf '  svc%s:\n    image: busybox:1.36\n    command: [sleep, "3600"]\n    stop_grace_period: 1s\n    environment: {INDEX: "%s"}\n    deploy: {endpoint_mode: dnsrr, replicas: 1}\n' "$i" "$i"
  done
} > "$out/stack.yaml"
rounds=${ROUNDS:-3}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(uname -r), $(docker -H unix://$manager version --format 'engine {{.Server.Version}}'), 3-node lab"
timer="python3 benchmarks/swarm_timer.py --socket $manager"
for round in $(seq 1 "$rounds"); do
  $timer --stack bb$round --services 20 -- "$bin/berth" -H "unix://$manager" stack deploy --resolve-image never -q -c "$out/stack.yaml" bb$round
  $timer --stack bb$round --remove -- docker -H "unix://$manager" stack rm bb$round
  $timer --stack dd$round --services 20 -- docker -H "unix://$manager" stack deploy --resolve-image never -c "$out/stack.yaml" dd$round
  $timer --stack dd$round --remove -- docker -H "unix://$manager" stack rm dd$round
done
echo "## no-op redeploy of a converged stack (the same file again), 10 runs each"
"$bin/berth" -H "unix://$manager" stack deploy --resolve-image never -q -c "$out/stack.yaml" noopb >/dev/null 2>&1
docker -H "unix://$manager" stack deploy --resolve-image never -c "$out/stack.yaml" noopd >/dev/null 2>&1
$timer --stack noopb --services 20 -- true >/dev/null
$timer --stack noopd --services 20 -- true >/dev/null
$timer --repeat 10 --label "berth no-op" -- "$bin/berth" -H "unix://$manager" stack deploy --resolve-image never -q -c "$out/stack.yaml" noopb
$timer --repeat 10 --label "docker no-op" -- docker -H "unix://$manager" stack deploy --resolve-image never -c "$out/stack.yaml" noopd
$timer --stack noopb --remove -- "$bin/berth" -H "unix://$manager" stack rm noopb
$timer --stack noopd --remove -- docker -H "unix://$manager" stack rm noopd
