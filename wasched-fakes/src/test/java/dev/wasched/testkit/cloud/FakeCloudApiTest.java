package dev.wasched.testkit.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake Cloud API spoken to directly over HTTP, and the webhooks it pushes, read by a plain receiver. */
class FakeCloudApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ANN = "+491701234567";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<JsonNode> notifications = new CopyOnWriteArrayList<>();
    private final List<String> signatures = new CopyOnWriteArrayList<>();
    private FakeCloudApi api;
    private HttpServer receiver;

    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            notifications.add(JSON.readTree(body));
            signatures.add(exchange.getRequestHeaders().getFirst("X-Hub-Signature-256") + " " + api.signature(body));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        api = FakeCloudApi.builder().start();
        api.webhookUrl(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"));
        api.registerNumber(ANN);
        api.template("hello", "en_US", "Hello {{1}}", TemplateStatus.APPROVED);
    }

    @AfterEach
    void stop() {
        api.close();
        receiver.stop(0);
    }

    private HttpResponse<String> send(String token, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/v23.0/" + api.phoneNumberId() + "/messages"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode error(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body()).path("error");
    }

    private static String text(String to, String body) {
        return "{\"messaging_product\":\"whatsapp\",\"to\":\"" + to + "\",\"type\":\"text\",\"text\":{\"body\":\""
                + body + "\"}}";
    }

    @Test
    void aWrongTokenIs401WithCode190() throws Exception {
        HttpResponse<String> r = send("wrong", text(ANN, "hi"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(error(r).path("code").asInt()).isEqualTo(190);
        assertThat(error(r).path("fbtrace_id").asText()).isNotBlank();
    }

    @Test
    void freeFormNeedsTheWindowATemplateNeedsApproval() throws Exception {
        HttpResponse<String> closed = send(api.accessToken(), text(ANN, "hi"));
        assertThat(error(closed).path("code").asInt()).isEqualTo(131047);
        api.templateStatus("hello", "en_US", TemplateStatus.PAUSED);
        String template = "{\"messaging_product\":\"whatsapp\",\"to\":\"491701234567\",\"type\":\"template\","
                + "\"template\":{\"name\":\"hello\",\"language\":{\"code\":\"en_US\"},\"components\":[{\"type\":"
                + "\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"Ann\"}]}]}}";
        assertThat(error(send(api.accessToken(), template)).path("code").asInt()).isEqualTo(132001);
        api.templateStatus("hello", "en_US", TemplateStatus.APPROVED);
        HttpResponse<String> ok = send(api.accessToken(), template);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).path("contacts").path(0).path("wa_id").asText()).isEqualTo("491701234567");
        assertThat(api.textsReceivedBy(ANN)).containsExactly("Hello Ann");

        api.injectIncoming(ANN, "hi back");
        assertThat(send(api.accessToken(), text(ANN, "now it is open")).statusCode()).isEqualTo(200);
        assertThat(error(send(api.accessToken(), text("+15550000000", "nobody"))).path("code").asInt())
                .isEqualTo(131026);
    }

    @Test
    void statusesAndCustomerMessagesArePushedSignedWithTheAppSecret() throws Exception {
        api.injectIncoming(ANN, "hi");
        HttpResponse<String> r = send(api.accessToken(), text(ANN, "hello")
                .replace("}}", "},\"biz_opaque_callback_data\":\"marker-1\"}"));
        String id = JSON.readTree(r.body()).path("messages").path(0).path("id").asText();
        api.status(id, CloudStatus.READ);
        assertThat(api.awaitWebhooksPushed(Duration.ofSeconds(10))).isTrue();
        assertThat(signatures).allSatisfy(s -> assertThat(s.split(" ")[0]).isEqualTo(s.split(" ")[1]));
        List<JsonNode> statuses = notifications.stream()
                .flatMap(n -> n.findValues("statuses").stream()).flatMap(a -> java.util.stream.StreamSupport
                        .stream(a.spliterator(), false)).toList();
        assertThat(statuses).extracting(s -> s.path("status").asText()).containsExactly("sent", "delivered", "read");
        assertThat(statuses).allSatisfy(s -> {
            assertThat(s.path("id").asText()).isEqualTo(id);
            assertThat(s.path("biz_opaque_callback_data").asText()).isEqualTo("marker-1");
        });
        JsonNode first = notifications.get(0).path("entry").path(0).path("changes").path(0).path("value");
        assertThat(first.path("metadata").path("phone_number_id").asText()).isEqualTo(api.phoneNumberId());
        assertThat(first.path("messages").path(0).path("text").path("body").asText()).isEqualTo("hi");
        assertThat(first.path("contacts").path(0).path("wa_id").asText()).isEqualTo("491701234567");
    }

    @Test
    void faultsAnswerInsteadOfServingAndADroppedAnswerStillSendsTheMessage() throws Exception {
        api.injectIncoming(ANN, "hi");
        api.failNext(CloudFault.pairRateLimit());
        HttpResponse<String> limited = send(api.accessToken(), text(ANN, "one"));
        assertThat(limited.statusCode()).isEqualTo(400);
        assertThat(error(limited).path("code").asInt()).isEqualTo(131056);
        api.failNext(CloudFault.badGateway());
        assertThat(send(api.accessToken(), text(ANN, "two")).statusCode()).isEqualTo(502);
        api.dropNextResponses(1);
        assertThatThrownBy(() -> send(api.accessToken(), text(ANN, "three"))).isInstanceOf(IOException.class);
        assertThat(api.textsReceivedBy(ANN)).containsExactly("three");
        api.expireToken();
        assertThat(error(send(api.accessToken(), text(ANN, "four"))).path("code").asInt()).isEqualTo(190);
    }

    @Test
    void mediaIsUploadedAsMultipartAndSentByItsId() throws Exception {
        api.injectIncoming(ANN, "hi");
        String boundary = "b0undary";
        String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"messaging_product\"\r\n\r\n"
                + "whatsapp\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nimage/png\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type:"
                + " image/png\r\n\r\nPNGDATA\r\n--" + boundary + "--\r\n";
        HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/v23.0/"
                        + api.phoneNumberId() + "/media")).header("Authorization", "Bearer " + api.accessToken())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(multipart)).build(), HttpResponse.BodyHandlers.ofString());
        String mediaId = JSON.readTree(up.body()).path("id").asText();
        assertThat(new String(api.upload(mediaId).bytes(), StandardCharsets.UTF_8)).isEqualTo("PNGDATA");
        String image = "{\"messaging_product\":\"whatsapp\",\"to\":\"491701234567\",\"type\":\"image\",\"image\":"
                + "{\"id\":\"" + mediaId + "\",\"caption\":\"look\"}}";
        assertThat(send(api.accessToken(), image).statusCode()).isEqualTo(200);
        assertThat(api.receivedBy(ANN)).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo("image");
            assertThat(m.mediaId()).isEqualTo(mediaId);
            assertThat(m.text()).isEqualTo("look");
        });
        String unknown = image.replace(mediaId, "123");
        assertThat(error(send(api.accessToken(), unknown)).path("code").asInt()).isEqualTo(131053);
    }
}
