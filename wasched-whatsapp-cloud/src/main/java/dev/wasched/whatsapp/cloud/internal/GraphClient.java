package dev.wasched.whatsapp.cloud.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The Graph API calls the transport makes, for one business phone number: {@code POST /{version}/{id}/messages},
 * {@code POST /{version}/{id}/media} (multipart) and {@code GET /{version}/{id}}. Each call answers with the parsed
 * body and the status; a failure to get an answer says whether the request can have reached the server.
 */
public final class GraphClient implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** An answer: the HTTP status and the JSON body (an empty object when the body was not JSON). */
    public record Answer(int status, JsonNode body) {
        public boolean ok() {
            return status / 100 == 2;
        }

        public GraphError error() {
            return GraphError.of(status, body);
        }
    }

    /** No answer came. {@code maybeReceived} is false only when the connection was never made. */
    public static final class NoAnswerException extends Exception {
        private final boolean maybeReceived;

        NoAnswerException(String message, boolean maybeReceived, Throwable cause) {
            super(message, cause);
            this.maybeReceived = maybeReceived;
        }

        public boolean maybeReceived() {
            return maybeReceived;
        }
    }

    private final URI base;
    private final Supplier<String> token;
    private final Duration requestTimeout;
    private final ExecutorService executor;
    private final HttpClient http;

    public GraphClient(URI baseUrl, String version, String phoneNumberId, Supplier<String> token,
                       Duration connectTimeout, Duration requestTimeout) {
        String root = baseUrl.toString().replaceAll("/+$", "");
        this.base = URI.create(root + "/" + version + "/" + phoneNumberId);
        this.token = token;
        this.requestTimeout = requestTimeout;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "wasched-cloud-http");
            t.setDaemon(true);
            return t;
        });
        // HTTP/2 over TLS to Meta; plain HTTP (a local fake or proxy) stays on HTTP/1.1 rather than trying an upgrade.
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).executor(executor)
                .version("https".equals(baseUrl.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .build();
    }

    public Answer phoneNumber() throws NoAnswerException {
        return call(HttpRequest.newBuilder(URI.create(base + "?fields=display_phone_number,verified_name")).GET());
    }

    public Answer sendMessage(ObjectNode message) throws NoAnswerException {
        byte[] json;
        try {
            json = MAPPER.writeValueAsBytes(message);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return call(HttpRequest.newBuilder(URI.create(base + "/messages"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)));
    }

    /** Uploads a file: multipart form with {@code messaging_product=whatsapp}, {@code type} and {@code file}. */
    public Answer uploadMedia(byte[] bytes, String mimeType, String fileName) throws NoAnswerException {
        String boundary = "wasched-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream(bytes.length + 512);
        field(body, boundary, "messaging_product", "whatsapp");
        field(body, boundary, "type", mimeType);
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + fileName.replace("\"", "_") + "\"\r\nContent-Type: " + mimeType + "\r\n\r\n");
        body.writeBytes(bytes);
        write(body, "\r\n--" + boundary + "--\r\n");
        return call(HttpRequest.newBuilder(URI.create(base + "/media"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    private static void field(ByteArrayOutputStream out, String boundary, String name, String value) {
        write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n");
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private Answer call(HttpRequest.Builder request) throws NoAnswerException {
        request.timeout(requestTimeout).header("Authorization", "Bearer " + token.get());
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new NoAnswerException("could not connect to the Graph API: " + e, false, e);
        } catch (IOException e) {
            throw new NoAnswerException("no answer from the Graph API: " + e, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NoAnswerException("interrupted while waiting for the Graph API", true, e);
        }
        JsonNode body;
        try {
            body = response.body().length == 0 ? MAPPER.createObjectNode() : MAPPER.readTree(response.body());
        } catch (IOException e) {
            body = MAPPER.createObjectNode();
        }
        return new Answer(response.statusCode(), body == null ? MAPPER.createObjectNode() : body);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
