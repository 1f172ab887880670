package dev.jbuild.registry.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plain-HTTP traffic never sets up TLS; the first https request does. */
class LazyTlsClientTest {
    private WireMockServer server;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(get("/v2/").willReturn(aResponse().withStatus(200).withBody("{}")));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void plainHttpRequestsLeaveTlsUnbuiltAndAnHttpsOneBuildsIt() throws IOException {
        OkHttpClient cleartext = new OkHttpClient.Builder().connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build();
        LazyTlsClient redirects = LazyTlsClient.plain(cleartext);
        LazyTlsClient client = LazyTlsClient.of(cleartext.newBuilder(), Optional.empty(), redirects::tlsClient);

        try (Response response = client.newCall(new Request.Builder().url(server.url("/v2/")).build()).execute()) {
            assertEquals(200, response.code());
        }
        assertFalse(client.tlsBuilt());
        assertFalse(redirects.tlsBuilt());

        client.newCall(new Request.Builder().url("https://127.0.0.1:" + server.port() + "/v2/").build());
        assertTrue(client.tlsBuilt());
        assertFalse(redirects.tlsBuilt());
    }
}
