package dev.jbuild.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.DigestMismatchException;
import dev.jbuild.oci.DockerFormat;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Reference;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.jbuild.registry.testing.MemoryContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Faults no real registry shows on demand, served by WireMock: the client must survive or fail cleanly. */
class RegistryFaultsTest {
    private WireMockServer server;
    private WireMockServer other;
    private Registry registry;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        registry = new Registry(clientOptions(CredentialSource.ANONYMOUS));
    }

    @AfterEach
    void stop() {
        registry.close();
        server.stop();
        if (other != null) {
            other.stop();
        }
    }

    private static RegistryOptions clientOptions(CredentialSource credentials) {
        return new RegistryOptions(credentials, Set.of(), List.of(), RegistriesConfig.EMPTY, 4, Duration.ofMillis(1),
                Duration.ofMillis(20), 0, "jbuild-test");
    }

    private RegistryRepository repository(Registry client) throws IOException {
        return client.repository(Reference.parse("127.0.0.1:" + server.port() + "/team/app:v1"));
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static Descriptor blob(byte[] bytes) {
        return new Descriptor(MediaType.OCI_LAYER_GZIP, Digest.sha256(bytes), bytes.length);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static final String MANIFEST = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST
            + "\",\"config\":{\"mediaType\":\"" + MediaType.OCI_CONFIG + "\",\"digest\":\"sha256:"
            + "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},\"layers\":[]}";

    @Test
    void tooManyRequestsIsRetriedAfterTheAnnouncedPause() throws IOException {
        server.stubFor(get("/v2/team/app/manifests/v1").inScenario("limit").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")
                        .withBody("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}"))
                .willSetStateTo("open"));
        server.stubFor(get("/v2/team/app/manifests/v1").inScenario("limit").whenScenarioStateIs("open")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", MediaType.OCI_MANIFEST)
                        .withBody(MANIFEST)));

        FetchedManifest manifest = repository(registry).manifest("v1");

        assertEquals(Digest.sha256(MANIFEST.getBytes(StandardCharsets.UTF_8)), manifest.descriptor().digest());
        server.verify(2, getRequestedFor(urlEqualTo("/v2/team/app/manifests/v1")));
    }

    @Test
    void serverErrorsAreRetriedAndPersistentOnesReportedAsTemporary() throws IOException {
        byte[] content = random(10_000, 1);
        Descriptor blob = blob(content);
        String path = "/v2/team/app/blobs/" + blob.digest();
        server.stubFor(get(path).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        server.stubFor(get(path).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withBody(content)));

        assertArrayEquals(content, readAll(repository(registry).open(blob)));

        server.stubFor(get("/v2/team/app/manifests/down").willReturn(aResponse().withStatus(502)));
        RegistryException down = assertThrows(RegistryException.class, () -> repository(registry).manifest("down"));
        assertEquals(502, down.status());
        assertTrue(down.temporary());
        server.verify(4, getRequestedFor(urlEqualTo("/v2/team/app/manifests/down")));
    }

    @Test
    void aDroppedDownloadResumesWithRange() throws IOException {
        byte[] content = random(200_000, 2);
        Descriptor blob = blob(content);
        String path = "/v2/team/app/blobs/" + blob.digest();
        byte[] firstHalf = java.util.Arrays.copyOf(content, 80_000);
        server.stubFor(get(path).withHeader("Range", absent()).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Length", Integer.toString(content.length)).withBody(firstHalf)));
        server.stubFor(get(path).withHeader("Range", equalTo("bytes=80000-")).willReturn(aResponse().withStatus(206)
                .withHeader("Content-Range", "bytes 80000-199999/200000")
                .withBody(java.util.Arrays.copyOfRange(content, 80_000, content.length))));

        assertArrayEquals(content, readAll(repository(registry).open(blob)));
        server.verify(1, getRequestedFor(urlEqualTo(path)).withHeader("Range", equalTo("bytes=80000-")));
    }

    @Test
    void aTruncatedBlobIsRejectedAndNotStored() throws IOException {
        byte[] content = random(50_000, 3);
        Descriptor blob = blob(content);
        String path = "/v2/team/app/blobs/" + blob.digest();
        server.stubFor(get(path).willReturn(aResponse().withStatus(200)
                .withBody(java.util.Arrays.copyOf(content, 30_000))));
        MemoryContent sink = new MemoryContent();

        assertThrows(IOException.class, () -> sink.write(blob, repository(registry).open(blob)));
        assertFalse(sink.contains(blob));
    }

    @Test
    void contentWithTheWrongDigestIsRejectedAndNotStored() throws IOException {
        byte[] content = random(50_000, 4);
        Descriptor blob = blob(content);
        byte[] tampered = content.clone();
        tampered[100] ^= 1;
        server.stubFor(get("/v2/team/app/blobs/" + blob.digest()).willReturn(aResponse().withStatus(200)
                .withBody(tampered)));
        MemoryContent sink = new MemoryContent();

        DigestMismatchException mismatch = assertThrows(DigestMismatchException.class,
                () -> sink.write(blob, repository(registry).open(blob)));
        assertEquals(blob.digest(), mismatch.expected());
        assertFalse(sink.contains(blob));

        server.stubFor(get("/v2/team/app/manifests/" + blob.digest()).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", MediaType.OCI_MANIFEST).withBody(MANIFEST)));
        assertThrows(DigestMismatchException.class, () -> repository(registry).manifest(blob.digest().toString()));
    }

    @Test
    void aCopyOfATamperedLayerFailsAndTheSinkKeepsNothingOfIt() throws IOException {
        byte[] layer = random(30_000, 8);
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        Descriptor layerDescriptor = blob(layer);
        Descriptor configDescriptor = new Descriptor(MediaType.OCI_CONFIG, Digest.sha256(config), config.length);
        byte[] manifest = dev.jbuild.oci.Manifest.of(false, configDescriptor, List.of(layerDescriptor)).toJson();
        Digest manifestDigest = Digest.sha256(manifest);
        byte[] tampered = layer.clone();
        tampered[0] ^= 1;
        server.stubFor(head(urlEqualTo("/v2/team/app/manifests/v1")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", MediaType.OCI_MANIFEST)
                .withHeader("Docker-Content-Digest", manifestDigest.toString())
                .withHeader("Content-Length", Integer.toString(manifest.length))));
        server.stubFor(get("/v2/team/app/manifests/" + manifestDigest).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", MediaType.OCI_MANIFEST).withBody(manifest)));
        server.stubFor(get("/v2/team/app/blobs/" + configDescriptor.digest()).willReturn(aResponse().withBody(config)));
        server.stubFor(get("/v2/team/app/blobs/" + layerDescriptor.digest()).willReturn(aResponse().withBody(tampered)));
        MemoryContent sink = new MemoryContent();

        assertThrows(DigestMismatchException.class,
                () -> new dev.jbuild.oci.ContentCopy(repository(registry), sink, null, 2, null).copy("v1", "v1"));
        assertFalse(sink.contains(layerDescriptor));
        assertFalse(sink.blobs.containsKey(manifestDigest));
        assertTrue(sink.tags.isEmpty());
    }

    @Test
    void aTokenThatExpiresMidPushIsFetchedAgainAndTheRequestRepeated() throws IOException {
        String challenge = "Bearer realm=\"http://127.0.0.1:" + server.port() + "/token\",service=\"reg\","
                + "scope=\"repository:team/app:pull,push\"";
        server.stubFor(put(urlPathMatching("/v2/team/app/manifests/.*")).withHeader("Authorization", absent())
                .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", challenge)));
        server.stubFor(put(urlPathMatching("/v2/team/app/manifests/(v1|sha256:.*)"))
                .withHeader("Authorization", equalTo("Bearer t1"))
                .willReturn(aResponse().withStatus(201)));
        server.stubFor(put(urlPathEqualTo("/v2/team/app/manifests/v2")).withHeader("Authorization", equalTo("Bearer t1"))
                .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", challenge + ",error=\"invalid_token\"")));
        server.stubFor(put(urlPathEqualTo("/v2/team/app/manifests/v2")).withHeader("Authorization", equalTo("Bearer t2"))
                .willReturn(aResponse().withStatus(201)));
        server.stubFor(get(urlPathEqualTo("/token")).inScenario("tokens").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withBody("{\"token\":\"t1\",\"expires_in\":300}")).willSetStateTo("second"));
        server.stubFor(get(urlPathEqualTo("/token")).inScenario("tokens").whenScenarioStateIs("second")
                .willReturn(aResponse().withBody("{\"access_token\":\"t2\",\"expires_in\":300}")));
        byte[] manifest = MANIFEST.getBytes(StandardCharsets.UTF_8);
        Descriptor descriptor = new Descriptor(MediaType.OCI_MANIFEST, Digest.sha256(manifest), manifest.length);
        RegistryRepository repository = repository(registry);

        repository.write(descriptor, new ByteArrayInputStream(manifest));
        repository.tag("v1", descriptor);
        repository.tag("v2", descriptor);

        server.verify(2, getRequestedFor(urlPathEqualTo("/token")).withQueryParam("service", equalTo("reg"))
                .withQueryParam("scope", equalTo("repository:team/app:pull,push")));
        server.verify(1, putRequestedFor(urlEqualTo("/v2/team/app/manifests/v2"))
                .withHeader("Authorization", equalTo("Bearer t2")));
    }

    @Test
    void anIdentityTokenIsSentAsAnOAuth2RefreshAndAServerWithoutOAuth2GetsAPlainTokenRequest() throws IOException {
        String challenge = "Bearer realm=\"http://127.0.0.1:" + server.port() + "/token\",service=\"reg\"";
        server.stubFor(get("/v2/team/app/tags/list?n=1000").withHeader("Authorization", absent())
                .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", challenge)));
        server.stubFor(get("/v2/team/app/tags/list?n=1000").withHeader("Authorization", equalTo("Bearer plain"))
                .willReturn(aResponse().withStatus(200).withBody("{\"tags\":[\"v1\"]}")));
        server.stubFor(post(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(404)));
        server.stubFor(get(urlPathEqualTo("/token")).willReturn(aResponse().withBody("{\"token\":\"plain\"}")));

        try (Registry withToken = new Registry(clientOptions(
                r -> Optional.of(new Credentials(Credentials.TOKEN_USERNAME, "refresh-secret", ""))))) {
            assertEquals(List.of("v1"), repository(withToken).tags());
        }

        server.verify(1, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathEqualTo("/token"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(
                        "grant_type=refresh_token&refresh_token=refresh-secret")));
        server.verify(1, getRequestedFor(urlPathEqualTo("/token")).withoutHeader("Authorization"));
    }

    @Test
    void aMissingDockerContentDigestFallsBackToHashingTheBody() throws IOException {
        server.stubFor(head(urlEqualTo("/v2/team/app/manifests/v1")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", MediaType.OCI_MANIFEST)));
        server.stubFor(get("/v2/team/app/manifests/v1").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", MediaType.OCI_MANIFEST).withBody(MANIFEST)));

        Descriptor resolved = repository(registry).resolve("v1");

        byte[] bytes = MANIFEST.getBytes(StandardCharsets.UTF_8);
        assertEquals(new Descriptor(MediaType.OCI_MANIFEST, Digest.sha256(bytes), bytes.length), resolved);
    }

    @Test
    void uploadsFollowRelativeLocationsAndKeepTheirQuery() throws IOException {
        byte[] content = random(5_000, 5);
        Descriptor blob = blob(content);
        server.stubFor(post("/v2/team/app/blobs/uploads/").willReturn(aResponse().withStatus(202)
                .withHeader("Location", "/v2/team/app/blobs/uploads/u1?_state=abc")));
        server.stubFor(put(urlPathEqualTo("/v2/team/app/blobs/uploads/u1")).willReturn(aResponse().withStatus(201)
                .withHeader("Docker-Content-Digest", blob.digest().toString())));

        repository(registry).write(blob, new ByteArrayInputStream(content));

        server.verify(putRequestedFor(urlEqualTo("/v2/team/app/blobs/uploads/u1?_state=abc&digest="
                + blob.digest().toString().replace(":", "%3A"))).withRequestBody(
                        com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo(content)));
    }

    @Test
    void redirectsToAnotherHostCarryNoAuthorization() throws IOException {
        other = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        other.start();
        byte[] content = random(20_000, 6);
        Descriptor blob = blob(content);
        String path = "/v2/team/app/blobs/" + blob.digest();
        server.stubFor(get(path).withHeader("Authorization", absent()).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Basic realm=\"test\"")));
        server.stubFor(get(path).withHeader("Authorization", equalTo(okhttp3.Credentials.basic("u", "p")))
                .willReturn(aResponse().withStatus(307)
                        .withHeader("Location", "http://localhost:" + other.port() + "/bucket/blob?sig=1")));
        other.stubFor(get("/bucket/blob?sig=1").willReturn(aResponse().withStatus(200).withBody(content)));

        try (Registry withLogin = new Registry(clientOptions(r -> Optional.of(Credentials.basic("u", "p"))))) {
            assertArrayEquals(content, readAll(repository(withLogin).open(blob)));
        }
        other.verify(1, getRequestedFor(urlEqualTo("/bucket/blob?sig=1")).withoutHeader("Authorization"));
    }

    @Test
    void aChunkRejectedWith416IsResentFromWhereTheRegistryStands() throws IOException {
        byte[] content = random(25_000, 7);
        Descriptor blob = blob(content);
        server.stubFor(post("/v2/team/app/blobs/uploads/").willReturn(aResponse().withStatus(202)
                .withHeader("Location", "/up/1")));
        server.stubFor(patch(urlEqualTo("/up/1")).willReturn(aResponse().withStatus(202)
                .withHeader("Location", "/up/2").withHeader("Range", "0-9999")));
        server.stubFor(patch(urlEqualTo("/up/2")).inScenario("chunk").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(416)).willSetStateTo("retried"));
        server.stubFor(get("/up/2").willReturn(aResponse().withStatus(204).withHeader("Location", "/up/3")
                .withHeader("Range", "0-14999")));
        server.stubFor(patch(urlEqualTo("/up/3")).willReturn(aResponse().withStatus(202)
                .withHeader("Location", "/up/4")));
        server.stubFor(patch(urlEqualTo("/up/4")).willReturn(aResponse().withStatus(202)
                .withHeader("Location", "/up/5")));
        server.stubFor(put(urlPathEqualTo("/up/5")).willReturn(aResponse().withStatus(201)));

        try (Registry chunked = new Registry(clientOptions(CredentialSource.ANONYMOUS).withChunkSize(10_000))) {
            repository(chunked).write(blob, new ByteArrayInputStream(content));
        }

        server.verify(patchRequestedFor(urlEqualTo("/up/3")).withHeader("Content-Range", equalTo("15000-19999"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo(
                        java.util.Arrays.copyOfRange(content, 15_000, 20_000))));
        server.verify(patchRequestedFor(urlEqualTo("/up/4")).withHeader("Content-Range", equalTo("20000-24999")));
        server.verify(putRequestedFor(urlEqualTo("/up/5?digest=" + blob.digest().toString().replace(":", "%3A"))));
    }

    /** POST answers /up/1 first (the single PUT) and /up/2 after, like a fresh session. */
    private void stubTwoSessions() {
        server.stubFor(post("/v2/team/app/blobs/uploads/").inScenario("sessions").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(202).withHeader("Location", "/up/1")).willSetStateTo("second"));
        server.stubFor(post("/v2/team/app/blobs/uploads/").inScenario("sessions").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(202).withHeader("Location", "/up/2")));
        server.stubFor(delete("/up/1").willReturn(aResponse().withStatus(204)));
    }

    private static String digestQuery(Descriptor blob) {
        return "?digest=" + blob.digest().toString().replace(":", "%3A");
    }

    @Test
    void aSinglePutRefusedAsTooLargeIsCancelledAndSentAgainInChunks() throws IOException {
        byte[] content = random(300_000, 11);
        Descriptor blob = blob(content);
        MemoryContent source = new MemoryContent();
        source.put(blob.mediaType(), content);
        stubTwoSessions();
        server.stubFor(put(urlPathEqualTo("/up/1")).willReturn(aResponse().withStatus(413)
                .withBody("<html><body>413 Request Entity Too Large</body></html>")));
        // the first chunk (the whole blob) is too large as well; its halves get through
        server.stubFor(patch(urlEqualTo("/up/2")).inScenario("proxy").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(413)).willSetStateTo("halved"));
        server.stubFor(patch(urlEqualTo("/up/2")).inScenario("proxy").whenScenarioStateIs("halved")
                .willReturn(aResponse().withStatus(202).withHeader("Location", "/up/3")));
        server.stubFor(patch(urlEqualTo("/up/3")).willReturn(aResponse().withStatus(202).withHeader("Location", "/up/4")));
        server.stubFor(put(urlPathEqualTo("/up/4")).willReturn(aResponse().withStatus(201)
                .withHeader("Docker-Content-Digest", blob.digest().toString())));

        repository(registry).withResendSource(source).write(blob, new ByteArrayInputStream(content));

        server.verify(putRequestedFor(urlEqualTo("/up/1" + digestQuery(blob))));
        server.verify(deleteRequestedFor(urlEqualTo("/up/1")));
        server.verify(2, postRequestedFor(urlEqualTo("/v2/team/app/blobs/uploads/")));
        server.verify(patchRequestedFor(urlEqualTo("/up/2")).withHeader("Content-Range", equalTo("0-299999")));
        server.verify(patchRequestedFor(urlEqualTo("/up/2")).withHeader("Content-Range", equalTo("0-149999"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo(
                        java.util.Arrays.copyOfRange(content, 0, 150_000))));
        server.verify(patchRequestedFor(urlEqualTo("/up/3")).withHeader("Content-Range", equalTo("150000-299999"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo(
                        java.util.Arrays.copyOfRange(content, 150_000, 300_000))));
        server.verify(putRequestedFor(urlEqualTo("/up/4" + digestQuery(blob)))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo(new byte[0])));
    }

    @Test
    void aConnectionResetDuringASinglePutFallsBackToChunksAndBlobUploadInvalidDoesToo() throws IOException {
        byte[] content = random(100_000, 12);
        Descriptor blob = blob(content);
        MemoryContent source = new MemoryContent();
        source.put(blob.mediaType(), content);
        stubTwoSessions();
        server.stubFor(put(urlPathEqualTo("/up/1")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        server.stubFor(patch(urlEqualTo("/up/2")).willReturn(aResponse().withStatus(202).withHeader("Location", "/up/3")));
        server.stubFor(put(urlPathEqualTo("/up/3")).willReturn(aResponse().withStatus(201)));

        repository(registry).withResendSource(source).write(blob, new ByteArrayInputStream(content));

        server.verify(deleteRequestedFor(urlEqualTo("/up/1")));
        server.verify(patchRequestedFor(urlEqualTo("/up/2")).withHeader("Content-Range", equalTo("0-99999"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo(content)));
        server.verify(putRequestedFor(urlEqualTo("/up/3" + digestQuery(blob))));

        server.resetAll();
        stubTwoSessions();
        server.stubFor(put(urlPathEqualTo("/up/1")).willReturn(aResponse().withStatus(400)
                .withBody("{\"errors\":[{\"code\":\"BLOB_UPLOAD_INVALID\",\"message\":\"blob upload invalid\"}]}")));
        server.stubFor(patch(urlEqualTo("/up/2")).willReturn(aResponse().withStatus(202).withHeader("Location", "/up/3")));
        server.stubFor(put(urlPathEqualTo("/up/3")).willReturn(aResponse().withStatus(201)));

        repository(registry).withResendSource(source).write(blob, new ByteArrayInputStream(content));

        server.verify(deleteRequestedFor(urlEqualTo("/up/1")));
        server.verify(putRequestedFor(urlEqualTo("/up/3" + digestQuery(blob))));
    }

    @Test
    void aRefusedSinglePutWithoutASourceToReadAgainFailsNamingWhyAndCancels() throws IOException {
        byte[] content = random(50_000, 13);
        Descriptor blob = blob(content);
        stubTwoSessions();
        server.stubFor(put(urlPathEqualTo("/up/1")).willReturn(aResponse().withStatus(413)));

        RegistryException failure = assertThrows(RegistryException.class,
                () -> repository(registry).write(blob, new ByteArrayInputStream(content)));

        assertEquals(413, failure.status());
        assertTrue(failure.getSuppressed()[0].getMessage().contains("cannot retry in chunks"),
                failure.getSuppressed()[0].getMessage());
        server.verify(deleteRequestedFor(urlEqualTo("/up/1")));
        server.verify(0, patchRequestedFor(urlPathMatching("/up/.*")));
    }

    @Test
    void aDigestRefusalOfASinglePutIsNotRetriedInChunks() throws IOException {
        byte[] content = random(50_000, 14);
        Descriptor blob = blob(content);
        stubTwoSessions();
        server.stubFor(put(urlPathEqualTo("/up/1")).willReturn(aResponse().withStatus(400)
                .withBody("{\"errors\":[{\"code\":\"DIGEST_INVALID\",\"message\":\"digest invalid\"}]}")));

        assertThrows(DigestMismatchException.class,
                () -> repository(registry).write(blob, new ByteArrayInputStream(content)));

        server.verify(deleteRequestedFor(urlEqualTo("/up/1")));
        server.verify(1, postRequestedFor(urlEqualTo("/v2/team/app/blobs/uploads/")));
    }

    @Test
    void aRegistryRefusingOciGetsTheImageAndIndexInDockerFormat() throws IOException {
        byte[] manifest = MANIFEST.getBytes(StandardCharsets.UTF_8);
        Descriptor oci = new Descriptor(MediaType.OCI_MANIFEST, Digest.sha256(manifest), manifest.length);
        DockerFormat.Converted docker = DockerFormat.manifest(manifest);
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_INDEX + "\",\"manifests\":[{"
                + "\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"digest\":\"" + oci.digest() + "\",\"size\":"
                + oci.size() + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}";
        byte[] indexBytes = index.getBytes(StandardCharsets.UTF_8);
        Descriptor ociIndex = new Descriptor(MediaType.OCI_INDEX, Digest.sha256(indexBytes), indexBytes.length);
        DockerFormat.Converted list = DockerFormat.index(indexBytes, Map.of(oci.digest(), docker.descriptor()));
        server.stubFor(put(urlPathMatching("/v2/team/app/manifests/.*"))
                .withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.containing("vnd.oci"))
                .willReturn(aResponse().withStatus(400).withBody("{\"errors\":[{\"code\":\"MANIFEST_INVALID\","
                        + "\"message\":\"manifest invalid\",\"detail\":\"unsupported manifest media type\"}]}")));
        server.stubFor(put(urlPathMatching("/v2/team/app/manifests/.*"))
                .withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.containing("vnd.docker"))
                .willReturn(aResponse().withStatus(201)));
        RegistryRepository repository = repository(registry);

        repository.write(oci, new ByteArrayInputStream(manifest));
        repository.write(ociIndex, new ByteArrayInputStream(indexBytes));
        repository.tag("v1", ociIndex);

        assertEquals(Optional.of(docker.descriptor()), repository.convertedFrom(oci.digest()));
        assertEquals(Optional.of(list.descriptor()), repository.convertedFrom(ociIndex.digest()));
        server.verify(putRequestedFor(urlEqualTo("/v2/team/app/manifests/" + oci.digest()))
                .withHeader("Content-Type", equalTo(MediaType.OCI_MANIFEST)));
        server.verify(putRequestedFor(urlEqualTo("/v2/team/app/manifests/" + docker.descriptor().digest()))
                .withHeader("Content-Type", equalTo(MediaType.DOCKER_MANIFEST))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo(docker.bytes())));
        // the index is not offered as OCI once its children had to be converted
        server.verify(0, putRequestedFor(urlEqualTo("/v2/team/app/manifests/" + ociIndex.digest())));
        server.verify(putRequestedFor(urlEqualTo("/v2/team/app/manifests/" + list.descriptor().digest()))
                .withHeader("Content-Type", equalTo(MediaType.DOCKER_MANIFEST_LIST))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo(list.bytes())));
        server.verify(putRequestedFor(urlEqualTo("/v2/team/app/manifests/v1"))
                .withHeader("Content-Type", equalTo(MediaType.DOCKER_MANIFEST_LIST))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo(list.bytes())));
    }

    @Test
    void aZstdImageRefusedAsOciFailsNamingBothReasons() {
        String zstd = MANIFEST.replace("\"layers\":[]", "\"layers\":[{\"mediaType\":\"" + MediaType.OCI_LAYER_ZSTD
                + "\",\"digest\":\"sha256:" + "1".repeat(64) + "\",\"size\":5}]");
        byte[] manifest = zstd.getBytes(StandardCharsets.UTF_8);
        Descriptor oci = new Descriptor(MediaType.OCI_MANIFEST, Digest.sha256(manifest), manifest.length);
        server.stubFor(put(urlPathMatching("/v2/team/app/manifests/.*")).willReturn(aResponse().withStatus(415)));

        RegistryException failure = assertThrows(RegistryException.class,
                () -> repository(registry).write(oci, new ByteArrayInputStream(manifest)));

        assertTrue(failure.getMessage().contains("refused the OCI manifest") && failure.getMessage().contains("zstd"),
                failure.getMessage());
        server.verify(1, putRequestedFor(urlPathMatching("/v2/team/app/manifests/.*")));
    }

    @Test
    void referrersComeFromTheApiWhenTheRegistryHasIt() throws IOException {
        Digest subject = Digest.sha256("subject".getBytes(StandardCharsets.UTF_8));
        Descriptor signature = new Descriptor(MediaType.OCI_MANIFEST, Digest.sha256(new byte[] {1}), 100, List.of(),
                Map.of(), null, "application/example.signature", Map.of());
        Descriptor sbom = new Descriptor(MediaType.OCI_MANIFEST, Digest.sha256(new byte[] {2}), 100, List.of(),
                Map.of(), null, "application/example.sbom", Map.of());
        server.stubFor(get("/v2/team/app/referrers/" + subject).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", MediaType.OCI_INDEX)
                .withBody(Index.of(false, List.of(signature, sbom)).toJson())));
        server.stubFor(get("/v2/team/app/referrers/" + subject + "?artifactType=application%2Fexample.sbom")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", MediaType.OCI_INDEX)
                        .withHeader("OCI-Filters-Applied", "artifactType")
                        .withBody(Index.of(false, List.of(sbom)).toJson())));

        assertEquals(List.of(signature, sbom), repository(registry).referrers(subject, ""));
        assertEquals(List.of(sbom), repository(registry).referrers(subject, "application/example.sbom"));
    }

    @Test
    void tagListsFollowLinkPages() throws IOException {
        server.stubFor(get("/v2/team/app/tags/list?n=1000").willReturn(aResponse().withStatus(200)
                .withHeader("Link", "</v2/team/app/tags/list?n=2&last=b>; rel=\"next\"")
                .withBody("{\"name\":\"team/app\",\"tags\":[\"b\",\"a\"]}")));
        server.stubFor(get("/v2/team/app/tags/list?n=2&last=b").willReturn(aResponse().withStatus(200)
                .withBody("{\"name\":\"team/app\",\"tags\":[\"c\"]}")));

        assertEquals(List.of("a", "b", "c"), repository(registry).tags());
    }

    @Test
    void errorBodiesThatAreNotJsonStillGiveAClearMessage() throws IOException {
        server.stubFor(get("/v2/team/app/manifests/v1").willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "text/plain").withBody("Forbidden: package permissions missing\n")));
        server.stubFor(get("/v2/team/app/manifests/v2").willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "text/html").withBody("<html><body>nginx</body></html>")));

        RegistryException text = assertThrows(RegistryException.class, () -> repository(registry).manifest("v1"));
        assertEquals(403, text.status());
        assertFalse(text.temporary());
        assertEquals("127.0.0.1:" + server.port() + "/team/app: pull manifest v1 failed (HTTP 403): "
                + "Forbidden: package permissions missing", text.getMessage());

        RegistryException html = assertThrows(RegistryException.class, () -> repository(registry).manifest("v2"));
        assertEquals("127.0.0.1:" + server.port() + "/team/app: pull manifest v2 failed (HTTP 404): Not Found",
                html.getMessage());
    }
}
