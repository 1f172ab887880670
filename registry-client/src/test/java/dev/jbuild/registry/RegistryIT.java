package dev.jbuild.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.ContentSource;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.testing.LocalRegistry;
import dev.jbuild.registry.testing.MemoryContent;
import dev.jbuild.registry.testing.SkopeoSupport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real docker-registry process: open, htpasswd and token auth. */
class RegistryIT {
    private static final Platform AMD64 = new Platform("linux", "amd64");
    private static final Platform ARM64 = new Platform("linux", "arm64");

    @TempDir
    static Path shared;
    static LocalRegistry open;
    static Registry client;

    @TempDir
    Path dir;

    @BeforeAll
    static void startOpenRegistry() throws IOException {
        LocalRegistry.assumeInstalled();
        open = LocalRegistry.open(Files.createDirectories(shared.resolve("open")));
        client = new Registry(options(CredentialSource.ANONYMOUS));
    }

    @AfterAll
    static void stopOpenRegistry() {
        if (client != null) {
            client.close();
        }
        if (open != null) {
            open.close();
        }
    }

    static RegistryOptions options(CredentialSource credentials) {
        return new RegistryOptions(credentials, Set.of(), List.of(), RegistriesConfig.EMPTY, 3, Duration.ofMillis(20),
                Duration.ofMillis(200), 0, "jbuild-test");
    }

    private static Reference ref(LocalRegistry registry, String repositoryAndTag) {
        return Reference.parse(registry.host() + "/" + repositoryAndTag);
    }

    private static ContentCopy.Result copy(ContentSource from, dev.jbuild.oci.ContentSink to, String tag,
            Platform platform, String destinationTag) throws IOException {
        return new ContentCopy(from, to, platform, 4, null).copy(tag, destinationTag);
    }

    @Test
    void pushedImageComesBackByteForByte() throws IOException {
        MemoryContent local = new MemoryContent();
        Descriptor image = local.image("v1", AMD64, 3, 200_000, 1);
        RegistryRepository remote = client.repository(ref(open, "roundtrip/app:v1"));

        ContentCopy.Result pushed = copy(local, remote, "v1", null, "v1");
        MemoryContent pulled = new MemoryContent();
        ContentCopy.Result back = copy(client.pullRepository(ref(open, "roundtrip/app:v1")), pulled, "v1", AMD64, "v1");

        assertEquals(image, pushed.root());
        assertEquals(image.digest(), back.root().digest());
        assertEquals(local.blobs.keySet(), pulled.blobs.keySet());
        for (Map.Entry<Digest, byte[]> blob : local.blobs.entrySet()) {
            assertArrayEquals(blob.getValue(), pulled.blobs.get(blob.getKey()), "blob " + blob.getKey());
        }
        assertEquals(image.digest(), remote.resolve("v1").digest());
    }

    @Test
    void theRegistryRefusesContentThatDoesNotMatchItsDigest() throws IOException {
        byte[] content = new byte[100_000];
        new java.util.Random(13).nextBytes(content);
        Descriptor claimed = new Descriptor(MediaType.OCI_LAYER_GZIP, Digest.sha256(content), content.length);
        byte[] tampered = content.clone();
        tampered[5] ^= 1;
        RegistryRepository remote = client.repository(ref(open, "tampered/app:v1"));

        assertThrows(dev.jbuild.oci.DigestMismatchException.class,
                () -> remote.write(claimed, new java.io.ByteArrayInputStream(tampered)));
        assertThrows(dev.jbuild.oci.DigestMismatchException.class,
                () -> remote.write(claimed, new java.io.ByteArrayInputStream(content, 0, 99_999)));
        assertTrue(!remote.contains(claimed));
        remote.write(claimed, new java.io.ByteArrayInputStream(content));
        assertTrue(remote.contains(claimed));
    }

    @Test
    void tlsRegistriesAreTrustedThroughCertsDirectoriesWithClientCertificates() throws Exception {
        TestPki server = TestPki.generate("127.0.0.1");
        TestPki clientAuthority = TestPki.generate("client-ca");
        Path serverCert = dir.resolve("server.pem");
        Path serverKey = dir.resolve("server.key");
        Path clientCa = dir.resolve("client-ca.pem");
        server.writeCertificate(serverCert);
        server.writePrivateKey(serverKey);
        clientAuthority.writeCertificate(clientCa);
        MemoryContent local = new MemoryContent();
        local.image("v1", AMD64, 1, 5_000, 14);
        try (LocalRegistry secure = LocalRegistry.tls(dir, serverCert, serverKey, clientCa)) {
            Path certsDirectory = Files.createDirectories(dir.resolve("certs.d").resolve(secure.host()));
            try (Registry untrusting = new Registry(options(CredentialSource.ANONYMOUS))) {
                RegistryException untrusted = assertThrows(RegistryException.class,
                        () -> untrusting.repository(ref(secure, "tls/app:v1")).tags());
                assertTrue(!untrusted.temporary(), untrusted.getMessage());
            }
            server.writeCertificate(certsDirectory.resolve("ca.crt"));
            clientAuthority.writeCertificate(certsDirectory.resolve("client.cert"));
            clientAuthority.writePrivateKey(certsDirectory.resolve("client.key"));
            try (Registry trusting = new Registry(options(CredentialSource.ANONYMOUS)
                    .withCertsDirectories(List.of(dir.resolve("certs.d"))))) {
                copy(local, trusting.repository(ref(secure, "tls/app:v1")), "v1", null, "v1");
                assertEquals(List.of("v1"), trusting.repository(ref(secure, "tls/app:v1")).tags());
            }
        }
    }

    @Test
    void pullsComeFromAMirrorThatHasTheImage() throws IOException {
        MemoryContent local = new MemoryContent();
        Descriptor image = local.image("v1", AMD64, 1, 5_000, 15);
        copy(local, client.repository(ref(open, "mirrored/library/app:v1")), "v1", null, "v1");
        RegistriesConfig config = RegistriesConfig.parse("""
                [[registry]]
                prefix = "127.0.0.1:1"
                [[registry.mirror]]
                location = "%s/mirrored"
                """.formatted(open.host()), "test");
        try (Registry mirrored = new Registry(options(CredentialSource.ANONYMOUS).withRegistriesConfig(config))) {
            RegistryRepository source = mirrored.pullRepository(Reference.parse("127.0.0.1:1/library/app:v1"));
            assertEquals(open.host() + "/mirrored/library/app", source.name());
            assertEquals(image.digest(), source.resolve("v1").digest());
        }
    }

    @Test
    void theCatalogListsPushedRepositories() throws IOException {
        MemoryContent local = new MemoryContent();
        local.image("v1", AMD64, 1, 1_000, 16);
        copy(local, client.repository(ref(open, "catalog/one:v1")), "v1", null, "v1");
        assertTrue(client.catalog(open.host()).contains("catalog/one"));
    }

    @Test
    void secondPushTransfersNothing() throws IOException {
        MemoryContent local = new MemoryContent();
        local.image("v1", AMD64, 2, 50_000, 2);
        RegistryRepository remote = client.repository(ref(open, "again/app:v1"));
        ContentCopy.Result first = copy(local, remote, "v1", null, "v1");
        ContentCopy.Result second = copy(local, remote, "v1", null, "v1");

        assertTrue(first.bytesTransferred() > 100_000);
        assertEquals(0, second.bytesTransferred());
        assertEquals(first.bytesTransferred(), second.bytesSkipped());
    }

    @Test
    void indexIsPushedWithItsManifestsAndPullPicksThePlatform() throws IOException {
        MemoryContent local = new MemoryContent();
        Descriptor amd = local.image(null, AMD64, 1, 10_000, 3).withPlatform(AMD64);
        Descriptor arm = local.image(null, ARM64, 1, 10_000, 4).withPlatform(ARM64);
        Descriptor index = local.index("multi", List.of(amd, arm));
        copy(local, client.repository(ref(open, "multi/app:multi")), "multi", null, "multi");

        RegistryRepository remote = client.pullRepository(ref(open, "multi/app:multi"));
        assertEquals(index.digest(), remote.resolve("multi").digest());
        assertEquals(MediaType.OCI_INDEX, remote.resolve("multi").mediaType());

        MemoryContent armOnly = new MemoryContent();
        ContentCopy.Result picked = copy(remote, armOnly, "multi", ARM64, "latest");
        assertEquals(arm.digest(), picked.root().digest());
        assertTrue(!armOnly.blobs.containsKey(amd.digest()) && !armOnly.blobs.containsKey(index.digest()));

        MemoryContent everything = new MemoryContent();
        ContentCopy.Result all = copy(remote, everything, "multi", null, "latest");
        assertEquals(index.digest(), all.root().digest());
        assertEquals(local.blobs.keySet(), everything.blobs.keySet());

        IOException noMatch = assertThrows(IOException.class,
                () -> copy(remote, new MemoryContent(), "multi", new Platform("linux", "s390x"), "x"));
        assertTrue(noMatch.getMessage().contains("linux/amd64, linux/arm64"), noMatch.getMessage());
    }

    @Test
    void chunkedUploadsStoreTheSameBlobs() throws IOException {
        MemoryContent local = new MemoryContent();
        Descriptor image = local.image("v1", AMD64, 2, 300_000, 5);
        try (Registry chunked = new Registry(options(CredentialSource.ANONYMOUS).withChunkSize(64 * 1024))) {
            copy(local, chunked.repository(ref(open, "chunked/app:v1")), "v1", null, "v1");
        }
        MemoryContent pulled = new MemoryContent();
        copy(client.pullRepository(ref(open, "chunked/app:v1")), pulled, "v1", AMD64, "v1");
        assertEquals(local.blobs.keySet(), pulled.blobs.keySet());
        assertEquals(image.digest(), pulled.tags.get("v1").digest());
    }

    @Test
    void copyBetweenRepositoriesMountsBlobsWithoutDownloadingThem() throws IOException {
        MemoryContent local = new MemoryContent();
        local.image("v1", AMD64, 2, 100_000, 6);
        copy(local, client.repository(ref(open, "mount/source:v1")), "v1", null, "v1");

        AtomicInteger blobDownloads = new AtomicInteger();
        RegistryRepository source = client.repository(ref(open, "mount/source:v1"));
        ContentSource counting = new ContentSource() {
            @Override
            public Descriptor resolve(String tagOrDigest) throws IOException {
                return source.resolve(tagOrDigest);
            }

            @Override
            public InputStream open(Descriptor descriptor) throws IOException {
                if (!MediaType.isManifest(descriptor.mediaType())) {
                    blobDownloads.incrementAndGet();
                }
                return source.open(descriptor);
            }
        };
        RegistryRepository target = client.repository(ref(open, "mount/target:v1"))
                .withMountSources(List.of("mount/source"));
        ContentCopy.Result mounted = copy(counting, target, "v1", null, "v1");

        assertEquals(0, blobDownloads.get());
        assertEquals(0, mounted.bytesTransferred(), "mounted blobs are not counted as transferred");
        MemoryContent pulled = new MemoryContent();
        copy(client.pullRepository(ref(open, "mount/target:v1")), pulled, "v1", AMD64, "v1");
        assertEquals(local.blobs.keySet(), pulled.blobs.keySet());
    }

    @Test
    void tagsAreListedSortedAndDeletedManifestsAreGone() throws IOException {
        MemoryContent local = new MemoryContent();
        Descriptor image = local.image("b", AMD64, 1, 1_000, 7);
        RegistryRepository remote = client.repository(ref(open, "tags/app:b"));
        copy(local, remote, "b", null, "b");
        remote.tag("a", image);
        remote.tag("c", image);
        assertEquals(List.of("a", "b", "c"), remote.tags());

        remote.delete(image.digest());
        RegistryException gone = assertThrows(RegistryException.class, () -> remote.resolve("a"));
        assertEquals(404, gone.status());
        assertTrue(gone.getMessage().contains(open.host() + "/tags/app"), gone.getMessage());
    }

    @Test
    void referrersFallBackToTheTagSchemaWhereTheApiIsMissing() throws IOException {
        MemoryContent local = new MemoryContent();
        Descriptor image = local.image("v1", AMD64, 1, 1_000, 8);
        Descriptor empty = local.put(MediaType.OCI_EMPTY, "{}".getBytes());
        Manifest signature = new Manifest(2, MediaType.OCI_MANIFEST, "application/example.signature", empty,
                List.of(empty), image, Map.of(), Map.of());
        Descriptor signatureDescriptor = local.put(MediaType.OCI_MANIFEST, signature.toJson());
        Descriptor referrer = new Descriptor(MediaType.OCI_MANIFEST, signatureDescriptor.digest(),
                signatureDescriptor.size(), List.of(), Map.of(), null, "application/example.signature", Map.of());
        String fallbackTag = image.digest().algorithm() + "-" + image.digest().encoded();
        local.index(fallbackTag, List.of(referrer));
        RegistryRepository remote = client.repository(ref(open, "referrers/app:v1"));
        copy(local, remote, "v1", null, "v1");
        copy(local, remote, fallbackTag, null, fallbackTag);

        assertEquals(List.of(referrer), remote.referrers(image.digest(), ""));
        assertEquals(List.of(), remote.referrers(image.digest(), "application/other"));
        assertEquals(List.of(), remote.referrers(signatureDescriptor.digest(), ""));
    }

    @Test
    void htpasswdRegistryNeedsTheRightPassword() throws IOException {
        Path htpasswd = dir.resolve("htpasswd");
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        Files.writeString(htpasswd, "tester:" + OpenBSDBCrypt.generate("2a", "s3cret".toCharArray(), salt, 6) + "\n");
        MemoryContent local = new MemoryContent();
        local.image("v1", AMD64, 1, 1_000, 9);
        try (LocalRegistry basic = LocalRegistry.htpasswd(dir, htpasswd);
                Registry anonymous = new Registry(options(CredentialSource.ANONYMOUS));
                Registry wrong = new Registry(options(r -> Optional.of(Credentials.basic("tester", "nope"))));
                Registry right = new Registry(options(r -> Optional.of(Credentials.basic("tester", "s3cret"))))) {
            RegistryException denied = assertThrows(RegistryException.class,
                    () -> copy(local, anonymous.repository(ref(basic, "private/app:v1")), "v1", null, "v1"));
            assertEquals(401, denied.status());
            assertEquals(401, assertThrows(RegistryException.class, () -> wrong.ping(basic.host())).status());

            right.ping(basic.host());
            copy(local, right.repository(ref(basic, "private/app:v1")), "v1", null, "v1");
            assertEquals(List.of("v1"), right.repository(ref(basic, "private/app:v1")).tags());
        }
    }

    @Test
    void tokenRegistryGivesAnonymousPullAndUserPush() throws Exception {
        TestPki pki = TestPki.generate("token-signer");
        Path bundle = dir.resolve("bundle.pem");
        pki.writeCertificate(bundle);
        MemoryContent local = new MemoryContent();
        Descriptor image = local.image("v1", AMD64, 2, 20_000, 10);
        try (TokenServer tokens = new TokenServer(pki, "tester", "s3cret", "refresh-me");
                LocalRegistry registry = LocalRegistry.token(dir, tokens.realm(), TokenServer.SERVICE,
                        TokenServer.ISSUER, bundle);
                Registry anonymous = new Registry(options(CredentialSource.ANONYMOUS));
                Registry user = new Registry(options(r -> Optional.of(Credentials.basic("tester", "s3cret"))));
                Registry refresh = new Registry(options(r -> Optional.of(
                        new Credentials(Credentials.TOKEN_USERNAME, "refresh-me", ""))))) {
            RegistryException denied = assertThrows(RegistryException.class,
                    () -> copy(local, anonymous.repository(ref(registry, "tok/app:v1")), "v1", null, "v1"));
            assertTrue(denied.status() == 401 || denied.status() == 403, denied.getMessage());

            copy(local, user.repository(ref(registry, "tok/app:v1")), "v1", null, "v1");
            MemoryContent pulled = new MemoryContent();
            copy(anonymous.pullRepository(ref(registry, "tok/app:v1")), pulled, "v1", AMD64, "v1");
            assertEquals(local.blobs.keySet(), pulled.blobs.keySet());

            copy(local, refresh.repository(ref(registry, "tok/other:v2")), "v1", null, "v2");
            assertEquals(image.digest(), anonymous.repository(ref(registry, "tok/other:v2")).resolve("v2").digest());
            assertTrue(tokens.requests.stream().anyMatch(r -> r.startsWith("POST user ")), tokens.requests.toString());
            long userTokenFetches = tokens.requests.stream().filter(r -> r.startsWith("GET user ")).count();
            assertTrue(userTokenFetches <= 3, "tokens are cached per scope: " + tokens.requests);
        }
    }

    @Test
    void aPlainHttpRegistryGetsItsTokensFromAnHttpsRealm() throws Exception {
        TestPki signer = TestPki.generate("token-signer");
        Path bundle = dir.resolve("bundle.pem");
        signer.writeCertificate(bundle);
        TestPki tls = TestPki.generate("127.0.0.1");
        MemoryContent local = new MemoryContent();
        Descriptor image = local.image("v1", AMD64, 1, 5_000, 12);
        try (TokenServer tokens = new TokenServer(signer, "tester", "s3cret", "refresh-me", tls);
                LocalRegistry registry = LocalRegistry.token(dir, tokens.realm(), TokenServer.SERVICE,
                        TokenServer.ISSUER, bundle)) {
            Path certs = Files.createDirectories(dir.resolve("certs.d").resolve(registry.host()));
            tls.writeCertificate(certs.resolve("ca.crt"));
            try (Registry user = new Registry(options(r -> Optional.of(Credentials.basic("tester", "s3cret")))
                    .withCertsDirectories(List.of(dir.resolve("certs.d"))))) {
                copy(local, user.repository(ref(registry, "tok/app:v1")), "v1", null, "v1");
                assertEquals(image.digest(), user.repository(ref(registry, "tok/app:v1")).resolve("v1").digest());
            }
            assertTrue(tokens.realm().startsWith("https://"), tokens.realm());
            assertTrue(tokens.requests.stream().anyMatch(r -> r.startsWith("GET user ")), tokens.requests.toString());
        }
    }

    @Test
    void skopeoReadsWhatWePushAndWeReadWhatSkopeoPushes() throws Exception {
        SkopeoSupport.assumeInstalled();
        MemoryContent local = new MemoryContent();
        Descriptor amd = local.image(null, AMD64, 2, 30_000, 11).withPlatform(AMD64);
        Descriptor arm = local.image(null, ARM64, 1, 30_000, 12).withPlatform(ARM64);
        Descriptor index = local.index("v1", List.of(amd, arm));
        copy(local, client.repository(ref(open, "interop/ours:v1")), "v1", null, "v1");

        String raw = SkopeoSupport.run("inspect", "--tls-verify=false", "--raw", "docker://" + open.host() + "/interop/ours:v1");
        assertEquals(index.digest(), Digest.sha256(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        SkopeoSupport.run("copy", "--all", "--src-tls-verify=false", "--dest-tls-verify=false",
                "docker://" + open.host() + "/interop/ours:v1", "docker://" + open.host() + "/interop/theirs:v1");

        MemoryContent pulled = new MemoryContent();
        ContentCopy.Result result = copy(client.pullRepository(ref(open, "interop/theirs:v1")), pulled, "v1", null,
                "v1");
        Index theirs = Index.parse(pulled.blobs.get(result.root().digest()));
        assertEquals(2, theirs.manifests().size());
        for (Descriptor layer : Manifest.parse(local.blobs.get(amd.digest())).layers()) {
            assertArrayEquals(local.blobs.get(layer.digest()), pulled.blobs.get(layer.digest()));
        }
    }
}
