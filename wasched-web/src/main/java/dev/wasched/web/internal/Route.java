package dev.wasched.web.internal;

import dev.wasched.access.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One operation of the API: a method, a path template ({@code /users/{name}}), the role it needs (null: open to
 * anyone, as signing in must be) and what it does.
 *
 * @param action what the audit log records when it succeeded, or null where it needs no entry (reads) or the service
 *               it calls records its own
 */
public record Route(String method, String template, Role role, String action, Handler handler, boolean upload) {
    public Route(String method, String template, Role role, String action, Handler handler) {
        this(method, template, role, action, handler, false);
    }

    /** What a route does with a request. */
    @FunctionalInterface
    public interface Handler {
        Reply handle(Call call) throws Exception;
    }

    public static Route open(String method, String template, Handler handler) {
        return new Route(method, template, null, null, handler);
    }

    public static Route read(String template, Role role, Handler handler) {
        return new Route("GET", template, role, null, handler);
    }

    public static Route change(String method, String template, Role role, String action, Handler handler) {
        return new Route(method, template, role, action, handler);
    }

    /** A change whose body is a file, read by the handler from the request (not parsed as JSON, not capped at 1 MiB). */
    public static Route upload(String template, Role role, String action, Handler handler) {
        return new Route("POST", template, role, action, handler, true);
    }

    public Route under(String prefix) {
        return new Route(method, prefix + template, role, action, handler, upload);
    }

    public boolean changesState() {
        return !method.equals("GET") && !method.equals("HEAD");
    }

    private List<String> segments() {
        return List.of(template.substring(1).split("/", -1));
    }

    /** The path's parameters when {@code path} fits the template, else empty. */
    public Optional<Map<String, String>> match(String path) {
        String[] parts = path.substring(1).split("/", -1);
        List<String> template = segments();
        if (parts.length != template.size()) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < parts.length; i++) {
            String t = template.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
                if (parts[i].isEmpty()) {
                    return Optional.empty();
                }
                params.put(t.substring(1, t.length() - 1), parts[i]); // the container decoded the path already
            } else if (!t.equals(parts[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }
}
