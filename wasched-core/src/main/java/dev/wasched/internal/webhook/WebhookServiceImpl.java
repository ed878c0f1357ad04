package dev.wasched.internal.webhook;

import dev.wasched.ValidationException;
import dev.wasched.internal.engine.EngineContext;
import dev.wasched.internal.service.Retries;
import dev.wasched.webhook.OutboxEntry;
import dev.wasched.webhook.OutboxStatus;
import dev.wasched.webhook.WebhookEndpoint;
import dev.wasched.webhook.WebhookService;
import dev.wasched.webhook.WebhookSpec;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

final class WebhookServiceImpl implements WebhookService {
    private static final String KIND = "webhook endpoint";

    private final EngineContext ctx;
    private final Runnable changed;

    WebhookServiceImpl(EngineContext ctx, Runnable changed) {
        this.ctx = ctx;
        this.changed = changed;
    }

    @Override
    public WebhookEndpoint register(WebhookSpec spec) {
        Objects.requireNonNull(spec, "spec");
        WebhookEndpoint endpoint = new WebhookEndpoint(ctx.ids().next(), spec, ctx.now(), ctx.now(), 0);
        ctx.store().webhooks().insertEndpoint(endpoint);
        changed.run();
        return endpoint;
    }

    @Override
    public WebhookEndpoint update(String id, WebhookSpec spec) {
        Objects.requireNonNull(spec, "spec");
        WebhookEndpoint updated = Retries.casLoop(KIND, id,
                () -> Retries.orNotFound(ctx.store().webhooks().findEndpoint(id), KIND, id),
                e -> e.edited(spec, ctx.now()), ctx.store().webhooks()::updateEndpoint);
        changed.run();
        return updated;
    }

    @Override
    public boolean remove(String id) {
        boolean removed = ctx.store().webhooks().deleteEndpoint(Objects.requireNonNull(id, "id"));
        changed.run();
        return removed;
    }

    @Override
    public Optional<WebhookEndpoint> find(String id) {
        return ctx.store().webhooks().findEndpoint(Objects.requireNonNull(id, "id"));
    }

    @Override
    public List<WebhookEndpoint> list() {
        return ctx.store().webhooks().endpoints();
    }

    @Override
    public List<OutboxEntry> failed(String endpointId, int limit) {
        if (limit < 1 || limit > 1000) {
            throw new ValidationException("limit", "must be 1 to 1000, was " + limit);
        }
        return ctx.store().webhooks().entries(Objects.requireNonNull(endpointId, "endpointId"), OutboxStatus.FAILED,
                limit);
    }
}
