#!/usr/bin/env python3
"""Run one command as root in a throw-away QEMU VM booting Debian's full kernel.

Our machines' own kernel has no ESP/AH/IPComp, xfrm interfaces or VTI; Debian's
linux-image-amd64 has them all as modules.  The guest mounts the host's / read-only over
virtio-9p and chroots into it, so /usr/sbin/ip, python, the venv and this checkout are the
host's own files.  The current directory (and each --rw DIR) is shared read-write;
/tmp, /run and /var/tmp are fresh tmpfs; /etc, /var, /root, /home writable but discarded.

    python tests/vm/kvm.py [--rw DIR]... [--timeout S] [--mem M] [--kernel K] -- CMD [ARG]...

--kernel K boots a kernel golden/releases.py fetched (6.12: trixie's, 7.3: trixie-backports')
instead of the machine's own Debian kernel; its modules are mounted where the guest's modprobe
looks for them.

The exit status is CMD's; 124 on timeout; 125 if the VM itself failed (the guest console's
tail is printed).  stdout and stderr come back separately (their interleaving is lost).
Needs root and: qemu-system-x86, busybox-static, linux-image-amd64, kmod (.ci/run installs
them).  Under TCG (no nested KVM here) a boot takes ~5 s and Python runs ~15x slower.
"""
import glob
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

CACHE = "/var/cache/pyip-vm"
BOOT_MODULES = ["virtio_pci", "9pnet_virtio", "9p", "virtio_console", "overlay", "virtio_rng"]

INIT = r"""#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
for m in $(cat /mods/order); do insmod /mods/$m; done
echo /modprobe > /proc/sys/kernel/modprobe
OUT=; ERR=
for p in /sys/class/virtio-ports/*; do
  case "$(cat $p/name)" in pyip.out) OUT=/dev/${p##*/};; pyip.err) ERR=/dev/${p##*/};; esac
done
O=trans=virtio,version=9p2000.L,msize=512000
N=/newroot; mkdir -p $N
mount -t 9p -o $O,ro,cache=loose hostroot $N || { echo "no 9p root" > /dev/console; reboot -f; }
mount -t proc proc $N/proc; mount -t sysfs sysfs $N/sys; mount -t devtmpfs devtmpfs $N/dev
mkdir -p $N/dev/pts $N/dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts $N/dev/pts
mount -t tmpfs -o mode=1777 tmpfs $N/dev/shm
for d in run tmp; do mount -t tmpfs -o mode=1777 tmpfs $N/$d; done
mkdir -p /ovl && mount -t tmpfs tmpfs /ovl
for d in etc var root home; do
  [ -d $N/$d ] || continue
  mkdir -p /ovl/$d/u /ovl/$d/w
  mount -t overlay -o lowerdir=$N/$d,upperdir=/ovl/$d/u,workdir=/ovl/$d/w overlay $N/$d
done
mount -t tmpfs -o mode=1777 tmpfs $N/var/tmp
mkdir -p $N/run/pyip-vm $N/run/netns
mount -t 9p -o $O,rw,cache=none job $N/run/pyip-vm
if [ -s $N/run/pyip-vm/modules ]; then
  K=$(uname -r); M=$(cat $N/run/pyip-vm/modules)
  mount -t tmpfs tmpfs $N/usr/lib/modules && mkdir -p $N/usr/lib/modules/$K
  mount --bind $N$M $N/usr/lib/modules/$K
fi
i=0
while IFS= read -r d; do
  mkdir -p "$N$d"; mount -t 9p -o $O,rw,cache=none rw$i "$N$d"; i=$((i+1))
done < $N/run/pyip-vm/rwdirs
chroot $N /sbin/ip link set lo up
chroot $N /bin/bash /run/pyip-vm/job.sh < /dev/null > $OUT 2> $ERR
echo $? > $N/run/pyip-vm/rc
sync
reboot -f
"""

MODPROBE = """#!/bin/busybox sh
exec /bin/busybox chroot /newroot /sbin/modprobe "$@"
"""


def die(msg):
    sys.stderr.write("kvm.py: %s\n" % msg)
    sys.exit(125)


def find_kernel():
    for k in sorted(glob.glob("/boot/vmlinuz-*"), reverse=True):
        v = k[len("/boot/vmlinuz-"):]
        if glob.glob("/lib/modules/%s/kernel/net/xfrm/xfrm_interface.ko*" % v):
            return k, v
    die("no kernel with xfrm_interface: apt-get install linux-image-amd64")


def elf_kernel(kernel, kver):
    """Debian's vmlinuz is an xz-compressed bzImage; booting the ELF inside it through its
    PVH entry saves ~4 s of decompression under TCG.  Extracted once, then cached."""
    st = os.stat(kernel)
    path = "%s/vmlinux-%s-%d-%d" % (CACHE, kver, st.st_size, int(st.st_mtime))
    if os.path.exists(path):
        return path
    import lzma
    data = open(kernel, "rb").read()
    off = data.find(b"\xfd7zXZ\x00")
    if off < 0:
        return kernel
    try:
        elf = lzma.LZMADecompressor().decompress(data[off:])
    except lzma.LZMAError:
        return kernel
    if elf[:4] != b"\x7fELF":
        return kernel
    os.makedirs(CACHE, exist_ok=True)
    with open(path + ".tmp", "wb") as f:
        f.write(elf)
    os.rename(path + ".tmp", path)
    return path


def cpio_newc(entries):
    """A newc archive of (name, mode, data) entries (directories have data None)."""
    out = []
    for ino, (name, mode, data) in enumerate(entries + [("TRAILER!!!", 0, b"")], 1):
        data = data or b""
        nb = name.encode() + b"\0"
        hdr = "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X" % (
            ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nb), 0)
        rec = hdr.encode() + nb
        rec += b"\0" * (-len(rec) % 4) + data
        rec += b"\0" * (-len(rec) % 4)
        out.append(rec)
    return b"".join(out)


def initramfs(kver, root=None):
    deps = subprocess.run(["modprobe"] + (["-d", root] if root else []) +
                          ["-S", kver, "-a", "--show-depends"] + BOOT_MODULES,
                          capture_output=True, text=True).stdout
    mods, order = [], []
    for line in deps.splitlines():
        parts = line.split()
        if parts and parts[0] == "insmod" and parts[1] not in order:
            order.append(parts[1])
    if not order:
        die("cannot resolve the 9p/virtio modules of %s" % kver)
    busybox = "/bin/busybox"
    if not os.path.exists(busybox):
        die("no /bin/busybox: apt-get install busybox-static")
    entries = [(d, 0o40755, None) for d in ("bin", "mods", "proc", "sys", "dev", "newroot")]
    entries.append(("bin/busybox", 0o100755, open(busybox, "rb").read()))
    entries.append(("init", 0o100755, INIT.encode()))
    entries.append(("modprobe", 0o100755, MODPROBE.encode()))
    for ko in order:
        data = open(ko, "rb").read()
        name = os.path.basename(ko)
        if name.endswith(".xz"):        # busybox's insmod takes plain modules only
            import lzma
            data, name = lzma.decompress(data), name[:-3]
        mods.append(name)
        entries.append(("mods/" + name, 0o100644, data))
    entries.append(("mods/order", 0o100644, ("\n".join(mods) + "\n").encode()))
    return cpio_newc(entries)


def main(argv):
    rw, timeout, mem, other = [], 1800, "1G", None
    while argv and argv[0].startswith("--") and argv[0] != "--":
        opt = argv.pop(0)
        if opt == "--rw":
            rw.append(argv.pop(0))
        elif opt == "--timeout":
            timeout = int(argv.pop(0))
        elif opt == "--mem":
            mem = argv.pop(0)
        elif opt == "--kernel":
            other = argv.pop(0)
        else:
            die("unknown option %s" % opt)
    if argv and argv[0] == "--":
        argv.pop(0)
    if not argv:
        die("usage: kvm.py [--rw DIR] [--timeout S] -- CMD...")
    if os.geteuid() != 0:
        die("must run as root")
    qemu = shutil.which("qemu-system-x86_64") or die("no qemu-system-x86_64")
    modules = None
    if other is None:
        kernel, kver = find_kernel()
    else:
        sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__)))))
        from golden import releases
        got = releases.vmlinuz(other)
        if got is None:
            sys.stderr.write("kvm.py: kernel %s is not in the cache (python -m golden.releases "
                             "fetch linux-%s): not booted\n" % (other, other))
            return 77
        kernel, kver, modules = got
    image = elf_kernel(kernel, kver)
    if os.getcwd() != "/":
        rw.append(os.getcwd())
    shares = sorted({os.path.realpath(d) for d in rw}, key=len)
    job = tempfile.mkdtemp(prefix="pyip-vm.")
    try:
        share = os.path.join(job, "share")
        os.mkdir(share)
        with open(os.path.join(job, "initrd"), "wb") as f:
            f.write(initramfs(kver, modules))
        with open(os.path.join(share, "modules"), "w") as f:
            f.write(os.path.join(modules, "lib/modules", kver) if modules else "")
        env = "".join("export %s=%s\n" % (k, shlex.quote(v)) for k, v in os.environ.items()
                      if k.isidentifier() and not k.startswith("BASH_FUNC"))
        with open(os.path.join(share, "job.sh"), "w") as f:
            f.write(env + "cd %s || exit 125\nexec %s\n"
                    % (shlex.quote(os.getcwd()), " ".join(map(shlex.quote, argv))))
        with open(os.path.join(share, "rwdirs"), "w") as f:
            f.write("".join(d + "\n" for d in shares))
        out, err = os.path.join(job, "out"), os.path.join(job, "err")
        fs = []
        for tag, path, ro in [("hostroot", "/", True), ("job", share, False)] + \
                [("rw%d" % i, d, False) for i, d in enumerate(shares)]:
            fs += ["-fsdev", "local,id=fs%s,path=%s,security_model=none,multidevs=remap%s"
                   % (tag, path.replace(",", ",,"), ",readonly=on" if ro else ""),
                   "-device", "virtio-9p-pci,fsdev=fs%s,mount_tag=%s" % (tag, tag)]
        accel = ["-accel", "tcg,thread=multi", "-cpu", "max"]
        cmd = [qemu, "-nodefaults", "-no-user-config", "-nographic", "-no-reboot",
               "-machine", "pc", *accel, "-smp", str(os.cpu_count() or 1), "-m", mem,
               "-kernel", image, "-initrd", os.path.join(job, "initrd"),
               "-append", "console=ttyS0 rdinit=/init panic=-1 quiet loglevel=4 "
               "mitigations=off random.trust_cpu=on tsc=reliable pci=noacpi "
               "cryptomgr.notests",
               "-serial", "file:%s/console" % job, "-monitor", "none",
               "-device", "virtio-rng-pci", "-device", "virtio-serial-pci",
               "-chardev", "file,id=o,path=" + out, "-device",
               "virtserialport,chardev=o,name=pyip.out",
               "-chardev", "file,id=e,path=" + err, "-device",
               "virtserialport,chardev=e,name=pyip.err", *fs]
        try:
            subprocess.run(cmd, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            sys.stderr.write("kvm.py: timed out after %ss\n" % timeout)
            return 124
        for path, stream in ((out, sys.stdout), (err, sys.stderr)):
            if os.path.exists(path):
                stream.buffer.write(open(path, "rb").read())
                stream.flush()
        rc = os.path.join(share, "rc")
        if os.path.exists(rc) and open(rc).read().strip():
            return int(open(rc).read())
        sys.stderr.write("kvm.py: the guest reported no exit code; console tail:\n")
        sys.stderr.write("".join(open(job + "/console", errors="replace").readlines()[-30:]))
        return 125
    finally:
        shutil.rmtree(job, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
