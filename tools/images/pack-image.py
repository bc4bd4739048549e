#!/usr/bin/env python3
"""Packs a root filesystem directory as an image layer and writes one image tarball.

The tarball holds the image twice over the same blobs, like `docker save` from Docker 25 on:
  - an OCI image layout (oci-layout, index.json, blobs/sha256/...), which `ctr images import`
    reads; index.json names the image with the annotations containerd and OCI tools look for;
  - a `docker save` manifest.json (Config, RepoTags, Layers) pointing at the same blobs, which is
    what Jib reads for `<from><image>tar:///…</image></from>` (Jib keeps gzip layers as they are).

Layers are gzip (level 6, no name, mtime 0); the layer tar itself comes from GNU tar with sorted
names, numeric owners, no atime/ctime and mtimes clamped to --sde, so the same root filesystem and
SOURCE_DATE_EPOCH give the same digests. With --base the base image's layers and configuration are
kept and the new layer (if any) goes on top.

Prints one JSON line: the manifest digest, the image id (config digest), the compressed size of
the layers and their unpacked size.
"""
import argparse
import datetime
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"


class HashingWriter(io.RawIOBase):
    """Writes to a file while hashing and counting what passes through."""

    def __init__(self, out):
        self.out = out
        self.sha = hashlib.sha256()
        self.size = 0

    def writable(self):
        return True

    def write(self, data):
        self.out.write(data)
        self.sha.update(data)
        self.size += len(data)
        return len(data)


def layer_from_dir(directory, sde, dest):
    """Tars `directory` deterministically into gzip file `dest`; returns (diff_id, digest, size, unpacked)."""
    entries = sorted(os.listdir(directory))
    cmd = ["tar", "--sort=name", "--format=pax",
           "--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime",
           "--numeric-owner", f"--mtime=@{sde}", "--clamp-mtime",
           "-C", directory, "-cf", "-", "--"] + entries
    raw = hashlib.sha256()
    unpacked = 0
    with open(dest, "wb") as f:
        hw = HashingWriter(f)
        with gzip.GzipFile(filename="", mode="wb", fileobj=hw, mtime=0, compresslevel=6) as gz:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
            while True:
                chunk = proc.stdout.read(1 << 20)
                if not chunk:
                    break
                raw.update(chunk)
                unpacked += len(chunk)
                gz.write(chunk)
            if proc.wait() != 0:
                sys.exit(f"pack-image: tar of {directory} failed")
    return "sha256:" + raw.hexdigest(), "sha256:" + hw.sha.hexdigest(), hw.size, unpacked


def read_base(path):
    """Returns (config dict, [(layer member name, digest, size)], tarfile) of a tarball this script wrote."""
    tar = tarfile.open(path)
    manifest = json.load(tar.extractfile("manifest.json"))[0]
    config = json.load(tar.extractfile(manifest["Config"]))
    layers = []
    for name in manifest["Layers"]:
        member = tar.getmember(name)
        head = tar.extractfile(member).read(2)
        if head != b"\x1f\x8b":
            sys.exit(f"pack-image: base layer {name} is not gzip")
        layers.append((name, "sha256:" + os.path.basename(name), member.size))
    return config, layers, tar


def normalized(ref):
    """docker.io/library/x:t style name, as containerd and the kubelet spell references."""
    first = ref.split("/", 1)[0]
    if "/" not in ref:
        return "docker.io/library/" + ref
    if "." in first or ":" in first or first == "localhost":
        return ref
    return "docker.io/" + ref


def json_bytes(obj):
    return json.dumps(obj, separators=(",", ":"), sort_keys=False).encode()


def add_bytes(out, name, data, sde):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = sde
    info.mode = 0o644
    out.addfile(info, io.BytesIO(data))


def add_dir(out, name, sde):
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    info.mtime = sde
    info.mode = 0o755
    out.addfile(info)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ref", required=True, help="image name:tag")
    p.add_argument("--out", required=True)
    p.add_argument("--base", help="image tarball to build on")
    p.add_argument("--layer", help="root filesystem directory to add as a layer")
    p.add_argument("--sde", type=int, required=True, help="SOURCE_DATE_EPOCH")
    p.add_argument("--comment", default="", help="history entry of the new layer")
    p.add_argument("--user")
    p.add_argument("--workdir")
    p.add_argument("--entrypoint", help="JSON array")
    p.add_argument("--cmd", help="JSON array")
    p.add_argument("--env", action="append", default=[], help="K=V (replaces K)")
    p.add_argument("--label", action="append", default=[], help="K=V")
    p.add_argument("--port", action="append", default=[], help="8080/tcp")
    a = p.parse_args()

    created = datetime.datetime.fromtimestamp(a.sde, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    blobs = {}  # digest -> (source tarfile member name or local file, size)
    layers = []  # (digest, size)
    diff_ids, history = [], []
    config_section = {}
    base_tar = None
    if a.base:
        base_config, base_layers, base_tar = read_base(a.base)
        config_section = base_config.get("config", {})
        diff_ids = list(base_config["rootfs"]["diff_ids"])
        history = list(base_config.get("history", []))
        for name, digest, size in base_layers:
            blobs[digest] = ("base", name, size)
            layers.append((digest, size))
    unpacked_new = 0
    tmp_layer = None
    if a.layer:
        tmp_layer = a.out + ".layer.part"
        diff_id, digest, size, unpacked_new = layer_from_dir(a.layer, a.sde, tmp_layer)
        blobs[digest] = ("file", tmp_layer, size)
        layers.append((digest, size))
        diff_ids.append(diff_id)
        history.append({"created": created, "created_by": a.comment or "tools/images/pack-image.py"})

    env = [e for e in config_section.get("Env", [])]
    for kv in a.env:
        key = kv.split("=", 1)[0]
        env = [e for e in env if e.split("=", 1)[0] != key] + [kv]
    config_section["Env"] = env
    if a.user is not None:
        config_section["User"] = a.user
    if a.workdir is not None:
        config_section["WorkingDir"] = a.workdir
    if a.entrypoint is not None:
        config_section["Entrypoint"] = json.loads(a.entrypoint)
        config_section.pop("Cmd", None)  # a new entrypoint drops the base's default arguments
    if a.cmd is not None:
        config_section["Cmd"] = json.loads(a.cmd)
    labels = dict(config_section.get("Labels") or {})
    labels.update(dict(kv.split("=", 1) for kv in a.label))
    if labels:
        config_section["Labels"] = dict(sorted(labels.items()))
    if a.port:
        ports = dict(config_section.get("ExposedPorts") or {})
        ports.update({port: {} for port in a.port})
        config_section["ExposedPorts"] = ports

    config = {"architecture": "amd64", "os": "linux", "created": created, "config": config_section,
              "rootfs": {"type": "layers", "diff_ids": diff_ids}, "history": history}
    config_bytes = json_bytes(config)
    config_digest = "sha256:" + hashlib.sha256(config_bytes).hexdigest()
    manifest = {"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                "config": {"mediaType": OCI_CONFIG, "digest": config_digest, "size": len(config_bytes)},
                "layers": [{"mediaType": OCI_LAYER_GZIP, "digest": d, "size": s} for d, s in layers]}
    manifest_bytes = json_bytes(manifest)
    manifest_digest = "sha256:" + hashlib.sha256(manifest_bytes).hexdigest()
    tag = a.ref.rsplit(":", 1)[1] if ":" in a.ref.rsplit("/", 1)[-1] else "latest"
    index = {"schemaVersion": 2, "mediaType": OCI_INDEX,
             "manifests": [{"mediaType": OCI_MANIFEST, "digest": manifest_digest, "size": len(manifest_bytes),
                            "annotations": {"io.containerd.image.name": normalized(a.ref),
                                            "org.opencontainers.image.ref.name": tag}}]}
    docker_manifest = [{"Config": "blobs/sha256/" + config_digest[7:], "RepoTags": [a.ref],
                        "Layers": ["blobs/sha256/" + d[7:] for d, _ in layers]}]

    part = a.out + ".part"
    with tarfile.open(part, "w", format=tarfile.PAX_FORMAT) as out:
        add_bytes(out, "oci-layout", b'{"imageLayoutVersion":"1.0.0"}', a.sde)
        add_dir(out, "blobs/", a.sde)
        add_dir(out, "blobs/sha256/", a.sde)
        for digest, _ in layers:
            kind, source, size = blobs[digest]
            info = tarfile.TarInfo("blobs/sha256/" + digest[7:])
            info.size = size
            info.mtime = a.sde
            info.mode = 0o644
            if kind == "base":
                out.addfile(info, base_tar.extractfile(source))
            else:
                with open(source, "rb") as f:
                    out.addfile(info, f)
        add_bytes(out, "blobs/sha256/" + config_digest[7:], config_bytes, a.sde)
        add_bytes(out, "blobs/sha256/" + manifest_digest[7:], manifest_bytes, a.sde)
        add_bytes(out, "index.json", json_bytes(index), a.sde)
        add_bytes(out, "manifest.json", json_bytes(docker_manifest), a.sde)
    os.replace(part, a.out)
    if tmp_layer:
        os.remove(tmp_layer)
    if base_tar:
        base_tar.close()

    unpacked = unpacked_new
    if a.base:
        # the base's unpacked size is recorded beside its tarball by build-rootfs-image.sh
        info_path = os.path.splitext(a.base)[0] + ".digest"
        try:
            with open(info_path) as f:
                unpacked += json.load(f)["unpacked_bytes"]
        except (OSError, ValueError, KeyError):
            pass
    print(json.dumps({"ref": a.ref, "digest": manifest_digest, "image_id": config_digest,
                      "compressed_bytes": sum(s for _, s in layers), "unpacked_bytes": unpacked,
                      "layers": len(layers)}))


if __name__ == "__main__":
    main()
