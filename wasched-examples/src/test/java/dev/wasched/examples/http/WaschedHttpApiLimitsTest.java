package dev.wasched.examples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasched.Secret;
import dev.wasched.ValidationException;
import dev.wasched.Wasched;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.spi.store.WaschedStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** The HTTP API's limits over real sockets: key length, where it may listen, load, time-outs, the health cache. */
@Isolated // its time-outs and queue limits are measured without other classes competing for the CPU
class WaschedHttpApiLimitsTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef"; // 32 characters, the shortest allowed
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @TempDir
    Path dir;
    private final GatedStore store = new GatedStore();
    private final Wasched wasched = Wasched.builder().store(store.proxy()).defaultRegion("DE").build();
    private final ObjectMapper json = new ObjectMapper();
    private final List<WaschedHttpApi> apis = new ArrayList<>();

    @AfterEach
    void stop() {
        store.open();
        apis.forEach(WaschedHttpApi::close);
        wasched.close();
    }

    private WaschedHttpApi start(WaschedHttpApi.Builder b) throws IOException {
        WaschedHttpApi api = b.start();
        apis.add(api);
        return api;
    }

    private record Answer(int status, JsonNode body, HttpResponse<String> raw) {
    }

    private Answer get(HttpClient client, String url) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).header("X-Api-Key", KEY)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() ? null : json.readTree(r.body()), r);
    }

    private Answer get(WaschedHttpApi api, String path) throws Exception {
        return get(HttpClient.newHttpClient(), "http://127.0.0.1:" + api.address().getPort() + path);
    }

    private CompletableFuture<Answer> getAsync(WaschedHttpApi api, String path) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return get(api, path);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void anApiKeyShorterThan32CharactersIsRefusedAtStart() throws Exception {
        String shortKey = KEY.substring(1);
        assertThatThrownBy(() -> WaschedHttpApi.start(wasched, Secret.of(shortKey), LOOPBACK))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("apiKey"))
                .hasMessageContaining("at least 32 characters").hasMessageContaining("is 31")
                .hasMessageNotContaining(shortKey);
        WaschedHttpApi api = start(WaschedHttpApi.builder(wasched, Secret.of(KEY)).address(LOOPBACK));
        assertThat(get(api, "/api/contacts").status()).isEqualTo(200);
    }

    @Test
    void plainHttpBeyondLoopbackNeedsToBeAllowedByName() throws Exception {
        InetSocketAddress everywhere = new InetSocketAddress(0);
        assertThatThrownBy(() -> WaschedHttpApi.start(wasched, Secret.of(KEY), everywhere))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("address"))
                .hasMessageContaining("not a loopback address").hasMessageContaining("tls(SSLContext)")
                .hasMessageContaining("allowPlainHttpOnNonLoopback(true)");

        WaschedHttpApi allowed = start(WaschedHttpApi.builder(wasched, Secret.of(KEY)).address(everywhere)
                .allowPlainHttpOnNonLoopback(true));
        assertThat(allowed.address().getAddress().isAnyLocalAddress()).isTrue();
        assertThat(get(allowed, "/healthz").status()).isEqualTo(200);
    }

    @Test
    void withTlsItListensBeyondLoopbackAndSpeaksOnlyHttps() throws Exception {
        KeyStore keys = selfSignedKeyStore();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        WaschedHttpApi api = start(WaschedHttpApi.builder(wasched, Secret.of(KEY)).address(new InetSocketAddress(0))
                .tls(serverTls));

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("api", keys.getCertificate("api"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(clientTls).version(HttpClient.Version.HTTP_1_1).build();
        String base = "https://127.0.0.1:" + api.address().getPort();
        assertThat(get(https, base + "/api/contacts").status()).isEqualTo(200);
        assertThatThrownBy(() -> get(HttpClient.newHttpClient(), "http://127.0.0.1:" + api.address().getPort()
                + "/healthz")).as("no plain HTTP on the TLS port").isInstanceOf(IOException.class);
    }

    /** A PKCS12 key store with one self-signed certificate for 127.0.0.1, made by the JDK's keytool. */
    private KeyStore selfSignedKeyStore() throws Exception {
        Path file = dir.resolve("api.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            ks.load(in, "changeit".toCharArray());
        }
        return ks;
    }

    @Test
    void healthIsTakenAtMostOncePerSecondAndSharedByConcurrentRequests() throws Exception {
        WaschedHttpApi api = start(WaschedHttpApi.builder(wasched, Secret.of(KEY)).address(LOOPBACK));
        store.close(); // the first snapshot hangs until we let it go
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            answers.add(getAsync(api, i % 2 == 0 ? "/healthz" : "/api/health"));
        }
        assertThat(store.entered.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(300); // let the others arrive and wait
        store.open();
        for (CompletableFuture<Answer> a : answers) {
            assertThat(a.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        assertThat(store.pings.get()).as("one snapshot for all of them").isEqualTo(1);
        for (int i = 0; i < 10; i++) {
            get(api, "/healthz");
        }
        long sinceFirst = System.nanoTime();
        assertThat(store.pings.get()).as("still the same second").isEqualTo(1);

        Thread.sleep(WaschedHttpApi.HEALTH_MAX_AGE.toMillis() + 100 - (System.nanoTime() - sinceFirst) / 1_000_000);
        assertThat(get(api, "/api/health").body().get("status").asText()).isNotEmpty();
        assertThat(store.pings.get()).as("a new snapshot once the last is a second old").isEqualTo(2);
    }

    @Test
    void aFullQueueIsAnswered503AtOnce() throws Exception {
        WaschedHttpApi api = start(WaschedHttpApi.builder(wasched, Secret.of(KEY)).address(LOOPBACK).workers(1)
                .queueCapacity(1));
        store.close();
        CompletableFuture<Answer> working = getAsync(api, "/healthz");
        assertThat(store.entered.tryAcquire(30, TimeUnit.SECONDS)).as("the one worker is busy").isTrue();
        CompletableFuture<Answer> waiting = getAsync(api, "/api/health");
        Thread.sleep(500); // it reaches the queue

        long t0 = System.nanoTime();
        Answer refused = get(api, "/api/contacts");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body().get("error").asText()).isEqualTo("overloaded");
        assertThat(refused.raw().headers().firstValue("Retry-After")).contains("1");

        store.open();
        assertThat(working.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(waiting.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(get(api, "/api/contacts").status()).as("room again").isEqualTo(200);
    }

    @Test
    void aRequestWithoutAnAnswerInTimeIs503() throws Exception {
        WaschedHttpApi api = start(WaschedHttpApi.builder(wasched, Secret.of(KEY)).address(LOOPBACK)
                .requestTimeout(Duration.ofMillis(500)));
        store.close();
        long t0 = System.nanoTime();
        Answer late = get(api, "/api/health");
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(late.status()).isEqualTo(503);
        assertThat(late.body().get("error").asText()).isEqualTo("timeout");
        assertThat(took).isBetween(Duration.ofMillis(450), Duration.ofSeconds(5));
        store.open();
        assertThat(get(api, "/api/contacts").status()).as("still serving").isEqualTo(200);
    }

    @Test
    void aClientTooSlowToSendItsRequestIsDisconnected() throws Exception {
        WaschedHttpApi api = start(WaschedHttpApi.builder(wasched, Secret.of(KEY)).address(LOOPBACK).workers(1)
                .queueCapacity(1).ioTimeout(Duration.ofMillis(500)));
        int port = api.address().getPort();
        List<Socket> slow = new ArrayList<>();
        try {
            // Headers never finished, and a body that stops short: more of them than the API has threads.
            for (int i = 0; i < 8; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                slow.add(s);
                String start = i % 2 == 0 ? "GET /api/contacts HTTP/1.1\r\nHost: x\r\n"
                        : "POST /api/contacts HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + KEY
                        + "\r\nContent-Length: 100\r\n\r\n{\"phone\":";
                s.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            }
            for (Socket s : slow) {
                s.setSoTimeout(10_000);
                long t0 = System.nanoTime();
                assertThat(closedByServer(s)).as("the server hung up").isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        for (int i = 0; i < 3; i++) {
            assertThat(get(api, "/api/contacts").status()).as("and serves the others").isEqualTo(200);
        }
    }

    /** Reads until the server closes the connection (true) or sends something (false). */
    private static boolean closedByServer(Socket s) throws IOException {
        try {
            InputStream in = s.getInputStream();
            int b = in.read();
            return b == -1;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** The in-memory store, with {@code ping} (one per health snapshot) counted and, when closed, held. */
    private static final class GatedStore implements InvocationHandler {
        final InMemoryStore delegate = new InMemoryStore();
        final AtomicInteger pings = new AtomicInteger();
        final Semaphore entered = new Semaphore(0);
        private volatile CountDownLatch gate = new CountDownLatch(0);

        WaschedStore proxy() {
            return (WaschedStore) Proxy.newProxyInstance(WaschedStore.class.getClassLoader(),
                    new Class<?>[]{WaschedStore.class}, this);
        }

        void close() {
            gate = new CountDownLatch(1);
        }

        void open() {
            gate.countDown();
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("ping")) {
                pings.incrementAndGet();
                entered.release();
                gate.await(60, TimeUnit.SECONDS);
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
