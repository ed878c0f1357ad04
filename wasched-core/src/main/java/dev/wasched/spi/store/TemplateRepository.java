package dev.wasched.spi.store;

import dev.wasched.message.Template;
import java.util.List;
import java.util.Optional;

/** Message templates as a store keeps them, by name. */
public interface TemplateRepository {
    /** @throws DuplicateKeyException when the name is taken */
    void insert(Template template);

    /** Compare-and-set on version. */
    boolean update(Template template);

    Optional<Template> findByName(String name);

    boolean delete(String name);

    /** All templates by name. */
    List<Template> list();
}
