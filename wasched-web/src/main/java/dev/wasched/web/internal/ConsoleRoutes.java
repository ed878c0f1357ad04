package dev.wasched.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The console: one page and its script and style, served from the jar (no build step, no CDN), open to anyone (it
 * signs in through the API). Its Content-Security-Policy allows nothing but this origin, so an injected script or a
 * framing page gets nowhere.
 */
public final class ConsoleRoutes {
    private static final String DIR = "/dev/wasched/web/console/";
    private static final Map<String, String> FILES = Map.of("index.html", "text/html;charset=utf-8",
            "app.js", "text/javascript;charset=utf-8", "app.css", "text/css;charset=utf-8");
    private static final String POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self';"
            + " script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    private final Map<String, byte[]> files;

    public ConsoleRoutes() {
        this.files = new java.util.HashMap<>();
        FILES.keySet().forEach(name -> {
            try (InputStream in = ConsoleRoutes.class.getResourceAsStream(DIR + name)) {
                if (in == null) {
                    throw new IllegalStateException("the console file " + DIR + name + " is missing from the jar");
                }
                files.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Routes at the servlet's root, not under the API. */
    public List<Route> routes() {
        return List.of(
                Route.open("GET", "/", c -> file("index.html")),
                Route.open("GET", "/console/{file}", c -> {
                    if (!files.containsKey(c.param("file"))) {
                        throw new ApiError(404, "not_found", "no such console file: " + c.param("file"));
                    }
                    return file(c.param("file"));
                }));
    }

    private Reply file(String name) {
        return new Reply(200, new BinaryBody(FILES.get(name), files.get(name)), Map.of(
                "Content-Security-Policy", POLICY, "X-Frame-Options", "DENY", "Referrer-Policy", "no-referrer"));
    }
}
