#!/bin/sh
# Makes a Debian userland root filesystem in DIR from the host's own installed packages (this machine
# runs Debian 12), for the Debian-based benchmark case without network access.
set -eu
dir=${1:?usage: debian-rootfs.sh DIR}
packages="base-files libc6 libgcc-s1 dash bash coreutils grep sed tar gzip findutils diffutils libacl1 libattr1
libselinux1 libpcre2-8-0 libgmp10 libtinfo6 perl-base libcrypt1 zlib1g libzstd1 liblzma5 libbz2-1.0 libssl3 openssl"
mkdir -p "$dir"
for package in $packages; do
    dpkg -L "$package" 2>/dev/null
done | while read -r path; do
    if [ -f "$path" ] || [ -L "$path" ]; then
        # the host is merged-/usr: name every file by its real directory
        real="$(readlink -f "$(dirname "$path")")/$(basename "$path")"
        printf '%s\n' "${real#/}"
    fi
done | sort -u > "$dir.files"
tar -C / --no-recursion -cf - -T "$dir.files" 2>/dev/null | tar -C "$dir" -xf -
rm -f "$dir.files"
mkdir -p "$dir/tmp" "$dir/root" "$dir/etc" "$dir/usr/bin" "$dir/usr/sbin" "$dir/usr/lib" "$dir/usr/lib64"
chmod 1777 "$dir/tmp"
for merged in bin sbin lib lib64; do
    [ -e "$dir/$merged" ] || ln -s "usr/$merged" "$dir/$merged"
done
[ -e "$dir/usr/bin/sh" ] || ln -s dash "$dir/usr/bin/sh"
printf 'root:x:0:0:root:/root:/bin/bash\n' > "$dir/etc/passwd"
printf 'root:x:0:\n' > "$dir/etc/group"
