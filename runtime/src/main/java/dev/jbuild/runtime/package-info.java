/**
 * The embedded container runtime: runs one command in a namespaced container over an overlay of image layers.
 *
 * <p>A build step is one call:
 * <pre>{@code
 * ContainerRuntime runtime = ContainerRuntime.detect();          // once per JVM; logs each isolation step down
 * ContainerSpec spec = ContainerSpec.builder(
 *                 Rootfs.Overlay.in(stepDirectory, lowerdirsTopFirst), List.of("/bin/sh", "-c", command))
 *         .env(imageEnv).cwd(workdir).user(user).network(Network.HOST)
 *         .limits(new Limits(memoryBytes, cpus, pids))
 *         .build();
 * ExitStatus status = runtime.container(spec).run(null, out, err);   // output streams as it is produced
 * }</pre>
 * Afterwards the overlay's upper directory holds the step's changes: a deleted path is a character device 0/0,
 * a directory replaced as a whole carries the user xattr {@code overlay.opaque=y} (overlay is always mounted with
 * {@code userxattr}); in rootless isolation its files carry host ids, which {@link
 * dev.jbuild.runtime.ContainerRuntime#uidMap()} maps back. A container that cannot start throws {@link
 * dev.jbuild.runtime.ContainerException} with Docker's wording and exit code (125, 126, 127).
 */
package dev.jbuild.runtime;
