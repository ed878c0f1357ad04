package dev.wasched.internal.service;

import dev.wasched.message.Template;
import dev.wasched.message.TemplateService;
import dev.wasched.internal.engine.EngineContext;
import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.TemplateRepository;
import java.time.Instant;
import java.util.List;
import java.util.Map;

public final class TemplateServiceImpl implements TemplateService {
    private final EngineContext ctx;
    private final TemplateRepository repo;

    public TemplateServiceImpl(EngineContext ctx) {
        this.ctx = ctx;
        this.repo = ctx.store().templates();
    }

    @Override
    public Template save(String name, String body) {
        Template.validateName(name);
        Template.validateBody(name, body);
        return Retries.casLoop("template", name, () -> repo.findByName(name).orElse(null), existing -> {
            Instant now = ctx.now();
            return existing == null ? new Template(name, body, now, now, 1) : existing.withBody(body, now);
        }, t -> {
            if (t.version() == 1) {
                try {
                    repo.insert(t);
                    return true;
                } catch (DuplicateKeyException e) {
                    return false;
                }
            }
            return repo.update(t);
        });
    }

    @Override
    public Template get(String name) {
        return Retries.orNotFound(repo.findByName(Template.validateName(name)), "template", name);
    }

    @Override
    public void delete(String name) {
        if (!repo.delete(Template.validateName(name))) {
            throw new dev.wasched.NotFoundException("template", name);
        }
    }

    @Override
    public List<Template> list() {
        return repo.list();
    }

    @Override
    public String render(String name, Map<String, String> variables) {
        return get(name).render(variables);
    }
}
