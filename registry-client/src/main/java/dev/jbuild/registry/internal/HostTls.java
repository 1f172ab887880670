package dev.jbuild.registry.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The TLS material for one registry host from {@code certs.d/<host[:port]>/} directories, as
 * docker and podman read them: every {@code *.crt} is a CA trusted in addition to the system's,
 * and each {@code NAME.cert} with {@code NAME.key} (PEM, via BouncyCastle) is a client certificate.
 */
public record HostTls(SSLContext context, X509TrustManager trustManager) {

    /** The TLS setup for {@code host}, or empty when no certs.d directory names it. */
    public static Optional<HostTls> forHost(String host, List<Path> certsDirectories) throws IOException {
        List<X509Certificate> authorities = new ArrayList<>();
        List<ClientPair> clientPairs = new ArrayList<>();
        for (Path root : certsDirectories) {
            Path directory = root.resolve(host);
            if (!Files.isDirectory(directory)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                List<Path> sorted = new ArrayList<>();
                files.forEach(sorted::add);
                sorted.sort(null);
                for (Path file : sorted) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".crt")) {
                        authorities.addAll(readCertificates(file));
                    } else if (name.endsWith(".cert")) {
                        Path key = file.resolveSibling(name.substring(0, name.length() - ".cert".length()) + ".key");
                        if (!Files.isRegularFile(key)) {
                            throw new IOException("client certificate " + file + " has no matching key " + key);
                        }
                        clientPairs.add(new ClientPair(readCertificates(file), readPrivateKey(key)));
                    }
                }
            }
        }
        if (authorities.isEmpty() && clientPairs.isEmpty()) {
            return Optional.empty();
        }
        try {
            X509TrustManager trust = trustManager(authorities);
            KeyManager[] keys = keyManagers(clientPairs);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, new TrustManager[] {trust}, null);
            return Optional.of(new HostTls(context, trust));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for " + host + " from certs.d: " + e.getMessage(), e);
        }
    }

    private record ClientPair(List<X509Certificate> chain, PrivateKey key) {
    }

    private static List<X509Certificate> readCertificates(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new IOException(file + " holds no certificate");
            }
            return certificates;
        } catch (CertificateException e) {
            throw new IOException(file + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    private static PrivateKey readPrivateKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            Object parsed = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            return switch (parsed) {
                case PEMKeyPair pair -> converter.getKeyPair(pair).getPrivate();
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case null -> throw new IOException(file + " holds no PEM private key");
                default -> throw new IOException(file + " holds a " + parsed.getClass().getSimpleName()
                        + ", not an unencrypted private key");
            };
        }
    }

    private static X509TrustManager trustManager(List<X509Certificate> authorities) throws GeneralSecurityException {
        TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        system.init((KeyStore) null);
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int alias = 0;
        for (TrustManager manager : system.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                for (X509Certificate certificate : x509.getAcceptedIssuers()) {
                    store.setCertificateEntry("system-" + alias++, certificate);
                }
            }
        }
        for (X509Certificate certificate : authorities) {
            store.setCertificateEntry("certs.d-" + alias++, certificate);
        }
        TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        combined.init(store);
        return Arrays.stream(combined.getTrustManagers())
                .filter(X509TrustManager.class::isInstance)
                .map(X509TrustManager.class::cast)
                .findFirst()
                .orElseThrow(() -> new GeneralSecurityException("no X.509 trust manager"));
    }

    private static KeyManager[] keyManagers(List<ClientPair> pairs) throws GeneralSecurityException {
        if (pairs.isEmpty()) {
            return null;
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        char[] password = new char[0];
        int index = 0;
        for (ClientPair pair : pairs) {
            store.setKeyEntry("client-" + index++, pair.key(), password, pair.chain().toArray(new Certificate[0]));
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory.getKeyManagers();
    }
}
