package dev.jbuild.registry.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** Plain-HTTP traffic never sets up TLS; the first https request does. */
class LazyTlsClientTest {
    private WireMockServer server;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort().dynamicHttpsPort().bindAddress("127.0.0.1"));
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

        try (Response response = client.newCall(new Request.Builder().url("http://127.0.0.1:" + server.port() + "/v2/").build()).execute()) {
            assertEquals(200, response.code());
        }
        assertFalse(client.tlsBuilt());
        assertFalse(redirects.tlsBuilt());

        client.newCall(new Request.Builder().url("https://127.0.0.1:" + server.port() + "/v2/").build());
        assertTrue(client.tlsBuilt());
        assertFalse(redirects.tlsBuilt());
    }

    /** A TLS client that accepts WireMock's self-signed certificate; only for following the redirect here. */
    private static OkHttpClient trustingEverything() {
        X509TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, null);
            return new OkHttpClient.Builder().sslSocketFactory(context.getSocketFactory(), trustAll)
                    .hostnameVerifier((host, session) -> true).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPlainHttpRedirectToHttpsIsFollowedWithoutTheAuthorization() throws IOException {
        server.stubFor(get("/v2/app/blobs/x").willReturn(aResponse().withStatus(307)
                .withHeader("Location", "https://127.0.0.1:" + server.httpsPort() + "/storage/x?sig=1")));
        server.stubFor(get(urlPathEqualTo("/storage/x")).willReturn(aResponse().withStatus(200).withBody("blob")));
        OkHttpClient cleartext = new OkHttpClient.Builder().connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build();
        OkHttpClient redirects = trustingEverything();
        LazyTlsClient client = LazyTlsClient.of(cleartext.newBuilder(), Optional.empty(), () -> redirects);

        try (Response response = client.newCall(new Request.Builder().url("http://127.0.0.1:" + server.port() + "/v2/app/blobs/x")
                .header("Authorization", "Bearer registry-token").build()).execute()) {
            assertEquals(200, response.code());
            assertEquals("blob", response.body().string());
        }

        server.verify(getRequestedFor(urlEqualTo("/v2/app/blobs/x")).withHeader("Authorization",
                equalTo("Bearer registry-token")));
        server.verify(getRequestedFor(urlEqualTo("/storage/x?sig=1")).withHeader("Authorization", absent()));
        assertFalse(client.tlsBuilt());
    }
}
