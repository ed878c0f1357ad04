package dev.wasched.message;

import java.util.List;
import java.util.Map;

/** Message templates with variables: create, change, find, delete. */
public interface TemplateService {
    /** Creates the template or replaces its body. */
    Template save(String name, String body);

    /** @throws dev.wasched.NotFoundException */
    Template get(String name);

    void delete(String name);

    List<Template> list();

    /** Renders a stored template; fails naming a missing variable. */
    String render(String name, Map<String, String> variables);
}
