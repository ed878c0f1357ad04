package dev.wasched.whatsapp.cloud;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Serves a {@link CloudWebhook} in a Jakarta Servlet 6 container: map it to the webhook's path; {@code GET} answers
 * the handshake, {@code POST} takes notifications. The servlet reads the raw body itself (the signature covers the
 * exact bytes), so no filter may consume or re-encode it first.
 */
public class CloudWebhookServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient CloudWebhook webhook;

    public CloudWebhookServlet(CloudWebhook webhook) {
        this.webhook = Objects.requireNonNull(webhook, "webhook");
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        var challenge = webhook.verify(req.getParameter("hub.mode"), req.getParameter("hub.verify_token"),
                req.getParameter("hub.challenge"));
        answer(resp, challenge.isPresent() ? 200 : 403, challenge.orElse("verification refused"));
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes(CloudWebhookServer.MAX_BODY + 1);
        }
        if (body.length > CloudWebhookServer.MAX_BODY) {
            answer(resp, 413, "body too large");
            return;
        }
        CloudWebhook.Result r = webhook.receive(body, req.getHeader("X-Hub-Signature-256"));
        answer(resp, r.httpStatus(), r.message());
    }

    private static void answer(HttpServletResponse resp, int status, String text) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/plain");
        resp.setCharacterEncoding(StandardCharsets.UTF_8.name());
        resp.getWriter().write(text);
    }
}
