package dev.wasched.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OpenAPI document the servlet serves is valid and names exactly the operations the servlet has. */
class OpenApiConformanceTest {
    @Test
    void theDocumentDescribesEveryOperationAndNoOther() throws Exception {
        try (WebFixture web = new WebFixture()) {
            WebFixture.Response served = web.caller().call("GET", "/openapi.json", null);
            assertThat(served.status()).as("served without signing in").isEqualTo(200);
            SwaggerParseResult parsed = new io.swagger.v3.parser.OpenAPIV3Parser()
                    .readContents(served.raw().body(), null, null);
            assertThat(parsed.getMessages()).as("parser messages").isEmpty();
            OpenAPI api = parsed.getOpenAPI();
            String prefix = api.getServers().get(0).getUrl();
            assertThat(prefix).isEqualTo(WaschedWeb.API);
            List<String> documented = new ArrayList<>();
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
                documented.add(method.name() + " " + prefix + path);
                assertThat(op.getResponses()).as(method + " " + path + " documents its answers").isNotEmpty();
            }));
            documented.sort(null);
            assertThat(documented).containsExactlyElementsOf(web.web.operations());
        }
    }
}
