#!/usr/bin/env python3
"""Runs an image tarball with runc, without Docker or containerd: for smoke tests of the images.

  run-image.py run IMAGE.tar NAME [options] [-- ARGS...]   start a container (ARGS replace the
                                                           image's Cmd, as `args:` in a pod do)
  run-image.py exec NAME [-- COMMAND...]                   run a command in a running container
                                                           (as `kubectl exec` does)
  run-image.py stop NAME [--wait S]                        SIGTERM, up to S s (10) to exit, then delete
  run-image.py unpack IMAGE.tar                            print the unpacked root filesystem's path

Options of `run`:
  --user UID:GID        default: the image's User (numeric, or a name from its /etc/passwd)
  --env K=V             added to the image's Env (repeatable)
  --entrypoint JSON     replace the image's Entrypoint (`command:` in a pod)
  --bind SRC:DST[:ro]   bind-mount a host path (repeatable)
  --emptydir DST        a new empty host directory (mode 0777) bind-mounted, as Kubernetes mounts
                        an emptyDir volume (repeatable)
  --tmpfs DST           a tmpfs (runc gives it the mode of the image's directory there, if any)
  --writable-root       leave the root filesystem writable (default: read-only, as in Floe's pods)
  --host-network        share the host's network namespace (to reach a server on 127.0.0.1)
  --memory BYTES        memory limit of the container's cgroup
  --detach --log FILE   run in the background with stdout and stderr to FILE
Image tarballs in `docker save` form (Jib's buildTar) and those of pack-image.py both work: the
layers are unpacked once per image id under $FLOE_RUN_DIR (default /tmp/floe-run) and shared,
read-only, by the containers. The OCI runtime config starts from `runc spec`; every capability is
dropped, no-new-privileges is set, rlimits stay at runc's defaults (RLIMIT_NOFILE 1024).
Needs root and runc.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time

RUN_DIR = os.environ.get("FLOE_RUN_DIR", "/tmp/floe-run")


def image_of(path):
    """(config dict, [layer member names]) of an image tarball."""
    with tarfile.open(path) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))[0]
        config = json.load(tar.extractfile(manifest["Config"]))
    return config, manifest["Layers"]


def unpack(path):
    config, layers = image_of(path)
    image_id = config["rootfs"]["diff_ids"][-1].split(":")[1][:16] + "-" + str(len(layers))
    root = os.path.join(RUN_DIR, "rootfs", image_id)
    if os.path.exists(os.path.join(root, ".unpacked")):
        return config, root
    partial = root + ".part"
    shutil.rmtree(partial, ignore_errors=True)
    os.makedirs(partial)
    with tarfile.open(path) as tar:
        for name in layers:
            # whiteouts first (a layer's .wh.x removes x of the layers below), then the files
            with tarfile.open(fileobj=tar.extractfile(name), mode="r:*") as layer:
                for member in layer.getmembers():
                    base = os.path.basename(member.name)
                    parent = os.path.join(partial, os.path.dirname(member.name))
                    if base == ".wh..wh..opq":
                        for child in os.listdir(parent) if os.path.isdir(parent) else []:
                            target = os.path.join(parent, child)
                            shutil.rmtree(target) if os.path.isdir(target) and not os.path.islink(target) else os.remove(target)
                    elif base.startswith(".wh."):
                        target = os.path.join(parent, base[4:])
                        if os.path.isdir(target) and not os.path.islink(target):
                            shutil.rmtree(target)
                        elif os.path.lexists(target):
                            os.remove(target)
            gzip = ["-z"] if layer_is_gzip(tar, name) else []
            untar = subprocess.Popen(["tar", "-x"] + gzip + ["--numeric-owner", "--same-owner", "--same-permissions",
                                      "--warning=no-unknown-keyword", "--exclude=.wh.*", "-C", partial, "-f", "-"], stdin=subprocess.PIPE)
            shutil.copyfileobj(tar.extractfile(name), untar.stdin, 1 << 20)
            untar.stdin.close()
            if untar.wait() != 0:
                sys.exit(f"run-image: unpacking {name} of {path} failed")
    open(os.path.join(partial, ".unpacked"), "w").close()
    os.rename(partial, root)
    return config, root


def layer_is_gzip(tar, name):
    return tar.extractfile(name).read(2) == b"\x1f\x8b"


def numeric_user(user, root):
    user = user or "0:0"
    name, _, group = user.partition(":")

    def lookup(file, key):
        with open(os.path.join(root, "etc", file)) as f:
            for line in f:
                fields = line.split(":")
                if fields[0] == key:
                    return fields
        sys.exit(f"run-image: {key} not in the image's /etc/{file}")

    if name.isdigit():
        uid = int(name)
        gid = int(group) if group.isdigit() else 0
    else:
        fields = lookup("passwd", name)
        uid, gid = int(fields[2]), int(fields[3])
    if group and not group.isdigit():
        gid = int(lookup("group", group)[2])
    return uid, gid


def cmd_run(a):
    config, root = unpack(a.image)
    image = config.get("config", {})
    bundle = os.path.join(RUN_DIR, "bundles", a.name)
    shutil.rmtree(bundle, ignore_errors=True)
    os.makedirs(bundle)
    subprocess.run(["runc", "spec"], cwd=bundle, check=True)
    with open(os.path.join(bundle, "config.json")) as f:
        spec = json.load(f)
    entrypoint = json.loads(a.entrypoint) if a.entrypoint else image.get("Entrypoint") or []
    args = a.args if a.args else ([] if a.entrypoint else image.get("Cmd") or [])
    uid, gid = numeric_user(a.user or image.get("User"), root)
    process = spec["process"]
    process["terminal"] = False
    process["args"] = entrypoint + args
    process["env"] = (image.get("Env") or []) + a.env
    process["cwd"] = image.get("WorkingDir") or "/"
    process["user"] = {"uid": uid, "gid": gid}
    process["capabilities"] = {k: [] for k in ("bounding", "effective", "permitted", "inheritable", "ambient")}
    process["noNewPrivileges"] = True
    spec["root"] = {"path": root, "readonly": not a.writable_root}
    spec["hostname"] = a.name
    for spec_bind in a.bind:
        parts = spec_bind.split(":")
        options = ["rbind", "ro" if len(parts) > 2 and parts[2] == "ro" else "rw"]
        spec["mounts"].append({"destination": parts[1], "type": "bind", "source": os.path.abspath(parts[0]),
                               "options": options})
    for i, dest in enumerate(a.emptydir):
        source = os.path.join(bundle, "emptydir-%d" % i)
        os.makedirs(source)
        os.chmod(source, 0o777)
        spec["mounts"].append({"destination": dest, "type": "bind", "source": source, "options": ["rbind", "rw"]})
    for dest in a.tmpfs:
        spec["mounts"].append({"destination": dest, "type": "tmpfs", "source": "tmpfs",
                               "options": ["nosuid", "nodev", "mode=1777", "size=256m"]})
    if a.host_network:
        spec["linux"]["namespaces"] = [n for n in spec["linux"]["namespaces"] if n["type"] != "network"]
    if a.memory:
        spec["linux"].setdefault("resources", {})["memory"] = {"limit": a.memory}
    with open(os.path.join(bundle, "config.json"), "w") as f:
        json.dump(spec, f, indent=1)
    command = ["runc", "run", "--bundle", bundle]
    if a.detach:
        with open(a.log or os.devnull, "ab") as log:
            rc = subprocess.run(command + ["--detach", a.name], stdin=subprocess.DEVNULL, stdout=log,
                                stderr=log).returncode
        sys.exit(rc)
    rc = subprocess.run(command + [a.name]).returncode
    subprocess.run(["runc", "delete", "--force", a.name], stderr=subprocess.DEVNULL)
    shutil.rmtree(os.path.join(RUN_DIR, "bundles", a.name), ignore_errors=True)
    sys.exit(rc)


def cmd_exec(a):
    sys.exit(subprocess.run(["runc", "exec", a.name] + a.args).returncode)


def cmd_stop(a):
    subprocess.run(["runc", "kill", a.name, "TERM"], stderr=subprocess.DEVNULL)
    for _ in range(int(a.wait * 10)):
        state = subprocess.run(["runc", "state", a.name], capture_output=True, text=True)
        if state.returncode != 0 or json.loads(state.stdout)["status"] == "stopped":
            break
        time.sleep(0.1)
    subprocess.run(["runc", "delete", "--force", a.name], stderr=subprocess.DEVNULL)
    shutil.rmtree(os.path.join(RUN_DIR, "bundles", a.name), ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run")
    run.add_argument("image")
    run.add_argument("name")
    run.add_argument("--user")
    run.add_argument("--env", action="append", default=[])
    run.add_argument("--entrypoint")
    run.add_argument("--bind", action="append", default=[])
    run.add_argument("--tmpfs", action="append", default=[])
    run.add_argument("--emptydir", action="append", default=[])
    run.add_argument("--writable-root", action="store_true")
    run.add_argument("--host-network", action="store_true")
    run.add_argument("--memory", type=int)
    run.add_argument("--detach", action="store_true")
    run.add_argument("--log")
    ex = sub.add_parser("exec")
    ex.add_argument("name")
    st = sub.add_parser("stop")
    # how long the process may take to exit after SIGTERM before it is killed: a JVM writing an
    # AOT cache as it exits needs far longer than a server finishing its requests on a busy machine
    st.add_argument("--wait", type=float, default=10.0, metavar="SECONDS")
    st.add_argument("name")
    up = sub.add_parser("unpack")
    up.add_argument("image")
    argv = sys.argv[1:]
    rest = []
    if "--" in argv:
        rest = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    a = p.parse_args(argv)
    a.args = rest
    if a.command == "run":
        cmd_run(a)
    elif a.command == "exec":
        cmd_exec(a)
    elif a.command == "stop":
        cmd_stop(a)
    else:
        print(unpack(a.image)[1])


if __name__ == "__main__":
    main()
