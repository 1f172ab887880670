#!/bin/sh
# Makes a busybox root filesystem in DIR from the host's static /bin/busybox (Debian: busybox-static),
# with one symlink per applet and /etc/passwd, /etc/group for root and app (1000).
set -eu
dir=${1:?usage: busybox-rootfs.sh DIR}
busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || { echo "busybox-rootfs.sh: $busybox not found (apt-get install busybox-static)" >&2; exit 1; }
mkdir -p "$dir/bin" "$dir/etc" "$dir/tmp" "$dir/root" "$dir/home/app" "$dir/proc" "$dir/sys" "$dir/dev"
chmod 1777 "$dir/tmp"
cp "$busybox" "$dir/bin/busybox"
for applet in $("$busybox" --list-full); do
    [ -e "$dir/$applet" ] || { mkdir -p "$dir/$(dirname "$applet")"; ln -s /bin/busybox "$dir/$applet"; }
done
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n' > "$dir/etc/passwd"
printf 'root:x:0:\napp:x:1000:\n' > "$dir/etc/group"
chown 1000:1000 "$dir/home/app" 2>/dev/null || true
