package dev.wasched.testkit.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;

/** A plain JDK HttpClient speaking to the fake as a bot would. */
final class BotApiClient {
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** Status and parsed JSON body. */
    record Reply(int status, JsonNode body) {
        boolean ok() {
            return body.path("ok").asBoolean(false);
        }

        JsonNode result() {
            return body.get("result");
        }

        String description() {
            return body.path("description").asText(null);
        }
    }

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final FakeTelegramBotApi fake;
    private final String token;

    BotApiClient(FakeTelegramBotApi fake) {
        this(fake, fake.token());
    }

    BotApiClient(FakeTelegramBotApi fake, String token) {
        this.fake = fake;
        this.token = token;
    }

    URI url(String method) {
        return URI.create(fake.baseUrl() + "/bot" + token + "/" + method);
    }

    Reply postJson(String method, String json) {
        return join(postJsonAsync(method, json));
    }

    Reply postJson(String method, Map<String, ?> body) {
        try {
            return postJson(method, MAPPER.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    CompletableFuture<Reply> postJsonAsync(String method, String json) {
        HttpRequest request = HttpRequest.newBuilder(url(method))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return send(request);
    }

    Reply postForm(String method, Map<String, String> fields) {
        StringJoiner body = new StringJoiner("&");
        fields.forEach((k, v) -> body.add(enc(k) + "=" + enc(v)));
        HttpRequest request = HttpRequest.newBuilder(url(method))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        return join(send(request));
    }

    Reply get(String method, Map<String, String> query) {
        StringJoiner q = new StringJoiner("&");
        query.forEach((k, v) -> q.add(enc(k) + "=" + enc(v)));
        URI uri = URI.create(url(method) + (query.isEmpty() ? "" : "?" + q));
        return join(send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15)).GET().build()));
    }

    Reply postRaw(URI uri, String contentType, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return join(send(request));
    }

    /** Builds multipart/form-data the way OkHttp's MultipartBody does. */
    static final class Multipart {
        final String boundary = "fake-boundary-" + System.nanoTime();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final Map<String, String> seen = new LinkedHashMap<>();

        Multipart text(String name, String value) {
            seen.put(name, value);
            write("--" + boundary + "\r\n");
            write("Content-Disposition: form-data; name=\"" + name + "\"\r\n");
            write("Content-Length: " + value.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n");
            write(value + "\r\n");
            return this;
        }

        Multipart file(String name, String fileName, byte[] content) {
            write("--" + boundary + "\r\n");
            write("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"\r\n");
            write("Content-Type: application/octet-stream\r\n");
            write("Content-Length: " + content.length + "\r\n\r\n");
            out.writeBytes(content);
            write("\r\n");
            return this;
        }

        byte[] build() {
            write("--" + boundary + "--\r\n");
            return out.toByteArray();
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        private void write(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    Reply postMultipart(String method, Multipart multipart) {
        byte[] body = multipart.build();
        return postRaw(url(method), multipart.contentType(), body);
    }

    private CompletableFuture<Reply> send(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            try {
                return new Reply(response.statusCode(), MAPPER.readTree(response.body()));
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + new String(response.body(), StandardCharsets.UTF_8), e);
            }
        });
    }

    static Reply join(CompletableFuture<Reply> future) {
        try {
            return future.get(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("Request failed: " + e, e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
