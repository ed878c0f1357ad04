package dev.wasched.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasched.Wasched;
import dev.wasched.access.Role;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.testkit.transport.RecordingTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The mounting example of docs/cli.md: the servlet in a plain Jetty, and the first administrator signs in. */
class DocSnippetsWebTest {

    @Test
    void theServletMountedAsShownServesTheApiToTheFirstAdministrator() throws Exception {
        InMemoryStore store = new InMemoryStore();
        char[] password = "correct horse battery staple".toCharArray();
        Server server = new Server();
        try (Wasched wasched = Wasched.builder().store(store).transport(new RecordingTransport("shop")).build()) {
            // docs:docs/console.md#the-web-console-and-http-api-wasched-web:begin
            WaschedWeb web = WaschedWeb.builder().wasched(wasched).store(store).build();   // the store wasched was built with
            ServletContextHandler context = new ServletContextHandler();                   // or Tomcat.addServlet(...), ...
            ServletHolder holder = new ServletHolder(web.servlet());
            holder.setAsyncSupported(true);                                                // the live events stay open
            context.addServlet(holder, "/wasched/*");                                      // API at /wasched/api/v1
            web.users().addUser("ana", Role.ADMIN, password, "setup");                     // the first administrator
            // docs:docs/console.md#the-web-console-and-http-api-wasched-web:end

            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            server.setHandler(context);
            server.start();
            HttpResponse<String> signIn = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/wasched/api/v1/session"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"user\": \"ana\", \"password\": \"correct horse battery staple\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(signIn.statusCode()).isEqualTo(200);
            JsonNode session = new ObjectMapper().readTree(signIn.body());
            assertThat(session.toString()).contains("ana").contains("ADMIN");
            web.close();
        } finally {
            server.stop();
        }
    }
}
