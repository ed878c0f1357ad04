package dev.wasched.internal.imports;

import dev.wasched.WaschedException;
import dev.wasched.contact.imports.ImportJob;
import dev.wasched.contact.imports.ImportProgress;
import dev.wasched.contact.imports.ImportReport;
import dev.wasched.internal.jobs.BackgroundJob;
import dev.wasched.spi.store.ContactRepository;
import java.time.Clock;
import java.util.function.Supplier;

/** An {@link ImportRun} as a background job. */
public final class ImportJobImpl extends BackgroundJob<ImportProgress, ImportReport> implements ImportJob {
    private final ImportRun run;

    public ImportJobImpl(String id, ImportRequest request, ContactRepository repo, Supplier<String> ids, Clock clock) {
        super(id, new ImportProgress(id, State.QUEUED, 0, -1, 0, 0, 0, 0, 0), request.listener());
        this.run = new ImportRun(request, repo, ids, clock, id, new ImportRun.Control() {
            @Override
            public boolean cancelled() {
                return ImportJobImpl.this.cancelled();
            }

            @Override
            public void progress(ImportProgress progress) {
                publish(progress);
            }
        });
    }

    @Override
    public State state() {
        return progress().state();
    }

    @Override
    protected void execute() {
        finish(run.run());
    }

    @Override
    protected void abort(String reason, Throwable cause) {
        boolean cancel = cause == null && cancelled();
        finish(run.stopped(cancel ? State.CANCELLED : State.FAILED,
                cancel ? null : new WaschedException("import stopped: " + reason, cause)));
    }

    @Override
    public String toString() {
        return "ImportJob[" + id() + ", " + state() + "]";
    }
}
