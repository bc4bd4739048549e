#!/usr/bin/env python3
"""Packs a statically linked binary as a one-layer image in `docker save` format, which
`ctr images import` reads. Used for the node's pause (sandbox) image, built from Kubernetes' own
build/pause/linux/pause.c: no registry is reachable, so containerd cannot pull registry.k8s.io/pause.

Usage: pause-image.py BINARY IMAGE_REF OUTPUT_TAR
The archive is reproducible: fixed mtimes, owner 0:0, sorted entries.
"""
import hashlib, io, json, sys, tarfile


def tar_bytes(entries):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data, mode in entries:
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), mode, 0
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def main(binary, ref, output):
    with open(binary, "rb") as f:
        layer = tar_bytes([("pause", f.read(), 0o755)])
    diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
    config = json.dumps({
        "architecture": "amd64", "os": "linux", "created": "1970-01-01T00:00:00Z",
        "config": {"Entrypoint": ["/pause"], "User": "65535:65535"},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    }, sort_keys=True).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    layer_name = diff_id[len("sha256:"):] + "/layer.tar"
    manifest = json.dumps([{"Config": config_name, "RepoTags": [ref], "Layers": [layer_name]}]).encode()
    with open(output, "wb") as out:
        out.write(tar_bytes(sorted([(config_name, config, 0o644), (layer_name, layer, 0o644),
                                    ("manifest.json", manifest, 0o644)])))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
