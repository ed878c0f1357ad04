package dev.wasched.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wasched.access.Role;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The OpenAPI document the servlet serves is valid, names exactly the operations the servlet has, and says of each
 * what a call finds: its path parameters, its required query parameters, paging where the answer pages, its success
 * status, and errors in the one error shape.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiConformanceTest {
    private static final String ERROR_SCHEMA = "#/components/schemas/Error";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]+)}");

    private WebFixture web;
    private OpenAPI api;
    private String prefix;
    private WebFixture.Caller admin;
    /** A stored thing for each path parameter, by the path's first segment. */
    private final Map<String, String> existing = new LinkedHashMap<>();

    @BeforeAll
    void start() throws Exception {
        web = new WebFixture();
        WebFixture.Response served = web.caller().call("GET", "/openapi.json", null);
        assertThat(served.status()).as("served without signing in").isEqualTo(200);
        SwaggerParseResult parsed = new io.swagger.v3.parser.OpenAPIV3Parser()
                .readContents(served.raw().body(), null, null);
        assertThat(parsed.getMessages()).as("parser messages").isEmpty();
        api = parsed.getOpenAPI();
        prefix = api.getServers().get(0).getUrl();
        admin = web.machine(Role.ADMIN);
        existing.put("contacts", admin.call("POST", "/contacts", Map.of("name", "Ann", "phone", "+4915112345678"))
                .json().path("id").asText());
        existing.put("schedules", admin.call("POST", "/schedules", Map.of("account", "shop", "to",
                Map.of("group", "team"), "text", "hi", "trigger", Map.of("once", "2026-12-05T10:00:00Z"))).json()
                .path("id").asText());
        web.wasched.runDue();
        existing.put("deliveries", admin.call("GET", "/deliveries", null).items("id").get(0));
        existing.put("templates", admin.call("PUT", "/templates/welcome", Map.of("body", "Hi")).json().path("name")
                .asText());
        existing.put("webhooks", admin.call("POST", "/webhooks", Map.of("url", "https://hooks.example.com/in",
                "secret", "s3")).json().path("id").asText());
        String job = admin.send("POST", "/contacts/imports?name=x.csv", "name,phone\nBob,+4915112345679\n",
                "text/csv", false).json().path("id").asText();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> admin.call("GET", "/contacts/imports/" + job,
                null).json().path("state").asText().equals("COMPLETED"));
        existing.put("contacts/imports", job);
        existing.put("users", "admin");
        existing.put("keys", web.web.users().keys().get(0).id());
        existing.put("accounts", "shop");
        existing.put("sessions", "shop");
    }

    @AfterAll
    void stop() throws Exception {
        web.close();
    }

    private record Op(String method, String path, Operation op) {
        String id() {
            return method + " " + path;
        }

        List<Parameter> params(String in) {
            return op.getParameters() == null ? List.of() : op.getParameters().stream()
                    .filter(p -> p.getIn().equals(in)).toList();
        }

        Set<String> documented() {
            return new TreeSet<>(op.getResponses().keySet());
        }

        String success() {
            return op.getResponses().keySet().stream().filter(s -> s.startsWith("2")).findFirst().orElseThrow();
        }
    }

    private List<Op> ops() {
        List<Op> out = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) ->
                out.add(new Op(method.name(), path, op))));
        return out;
    }

    /** The path with stored things for its parameters ({@code existing}) or made-up ones. */
    private String concrete(String path, boolean existing) {
        Matcher m = PLACEHOLDER.matcher(path);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String owner = path.substring(1, m.start() - 1);
            String value = existing ? this.existing.get(owner) : "nothing-here";
            assertThat(value).as("a stored thing for " + path).isNotNull();
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    @Test
    void theDocumentDescribesEveryOperationAndNoOther() {
        List<String> documented = new ArrayList<>();
        ops().forEach(o -> documented.add(o.method() + " " + prefix + o.path()));
        documented.sort(null);
        assertThat(prefix).isEqualTo(WaschedWeb.API);
        assertThat(documented).containsExactlyElementsOf(web.web.operations());
    }

    @Test
    void eachOperationDocumentsItsPathParametersAndItsErrorsInTheOneErrorShape() {
        assertThat(api.getComponents().getSchemas().get("Error").getRequired()).containsExactly("error");
        SoftAssertions soft = new SoftAssertions();
        for (Op o : ops()) {
            Set<String> placeholders = new TreeSet<>();
            PLACEHOLDER.matcher(o.path()).results().forEach(r -> placeholders.add(r.group(1)));
            Set<String> pathParams = new TreeSet<>();
            o.params("path").forEach(p -> {
                pathParams.add(p.getName());
                soft.assertThat(p.getRequired()).as(o.id() + " " + p.getName() + " required").isTrue();
            });
            soft.assertThat(pathParams).as(o.id() + " path parameters").isEqualTo(placeholders);
            soft.assertThat(o.documented().stream().filter(s -> s.startsWith("2"))).as(o.id() + " one success")
                    .hasSize(1);
            if (!o.id().equals("GET /openapi.json")) { // open to all, takes nothing: it has nothing to refuse
                soft.assertThat(o.documented()).as(o.id() + " documents a client error")
                        .anyMatch(s -> s.startsWith("4"));
            }
            o.op().getResponses().forEach((status, response) -> {
                if (status.startsWith("4")) {
                    soft.assertThat(errorSchema(response)).as(o.id() + " " + status + " is the error shape")
                            .isEqualTo(ERROR_SCHEMA);
                }
            });
        }
        soft.assertAll();
    }

    private static String errorSchema(ApiResponse r) {
        MediaType json = r.getContent() == null ? null : r.getContent().get("application/json");
        return json == null || json.getSchema() == null ? null : json.getSchema().get$ref();
    }

    @Test
    void eachReadAnswersWithItsDocumentedSuccessAndPagesWhereItSaysSo() throws Exception {
        // No login QR code in this fixture: those two answer their documented 404; the event stream stays open.
        Set<String> noSuccessHere = Set.of("GET /sessions/{account}/qr.svg", "GET /sessions/{account}/qr.png");
        SoftAssertions soft = new SoftAssertions();
        for (Op o : ops()) {
            if (!o.method().equals("GET") || o.path().equals("/events")) {
                continue;
            }
            String path = concrete(o.path(), true);
            WebFixture.Response r = admin.send("GET", path, null, null, false);
            if (noSuccessHere.contains(o.id())) {
                soft.assertThat(r.status()).as(o.id()).isEqualTo(404);
                assertErrorShape(soft, o, r);
                continue;
            }
            soft.assertThat(String.valueOf(r.status())).as(o.id() + ": " + r.raw().body()).isEqualTo(o.success());
            boolean documentsCursor = o.params("query").stream().anyMatch(p -> p.getName().equals("cursor"));
            soft.assertThat(r.json().has("nextCursor")).as(o.id() + " pages (answers nextCursor) as its cursor"
                    + " parameter says").isEqualTo(documentsCursor);

            // limit is read where it is documented, and only there
            boolean documentsLimit = o.params("query").stream().anyMatch(p -> p.getName().equals("limit"));
            WebFixture.Response limited = admin.send("GET", path + (path.contains("?") ? "&" : "?") + "limit=0",
                    null, null, false);
            boolean readsLimit = limited.status() == 400
                    && limited.json().path("error").path("field").asText().equals("limit");
            soft.assertThat(readsLimit).as(o.id() + " reads limit as documented").isEqualTo(documentsLimit);
        }
        soft.assertAll();
    }

    @Test
    void eachChangeRefusesWhatItCannotDoWithADocumentedStatusInTheErrorShape() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        for (Op o : ops()) {
            if (o.method().equals("GET") || o.id().equals("DELETE /session")) {
                continue; // signing out with a key succeeds: there is nothing to refuse
            }
            // Made-up path parameters, no JSON body, no required query parameter: each has something to refuse.
            // A file upload gets a file of the type it documents, so only its missing ?name is wrong.
            String fileType = o.op().getRequestBody() == null ? null : o.op().getRequestBody().getContent().keySet()
                    .stream().filter(t -> !t.equals("application/json")).findFirst().orElse(null);
            WebFixture.Response r = admin.send(o.method(), concrete(o.path(), false), fileType == null ? null : "x",
                    fileType, false);
            soft.assertThat(o.documented()).as(o.id() + " answered " + r.status() + ": " + r.raw().body())
                    .contains(String.valueOf(r.status()));
            soft.assertThat(r.status()).as(o.id()).isBetween(400, 499);
            assertErrorShape(soft, o, r);
            for (Parameter p : o.params("query")) {
                if (Boolean.TRUE.equals(p.getRequired())) {
                    soft.assertThat(r.json().path("error").path("field").asText())
                            .as(o.id() + " requires ?" + p.getName()).isEqualTo(p.getName());
                }
            }
        }
        soft.assertAll();
    }

    private static void assertErrorShape(SoftAssertions soft, Op o, WebFixture.Response r) {
        JsonNode e = r.json().path("error");
        soft.assertThat(r.json().size()).as(o.id() + " error shape: " + r.raw().body()).isEqualTo(1);
        soft.assertThat(e.path("code").isTextual() && e.path("message").isTextual()).as(o.id() + " code, message")
                .isTrue();
    }
}
