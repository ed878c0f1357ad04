package dev.wasched.store.mongo.internal;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import dev.wasched.spi.store.StoreException;
import java.util.function.Supplier;

/** Translates driver failures into the SPI's exceptions, so the engine sees one kind of store error. */
public final class Errors {
    private Errors() {
    }

    public static <T> T call(String what, Supplier<T> op) {
        try {
            return op.get();
        } catch (MongoException e) {
            throw wrap(what, e);
        }
    }

    public static void run(String what, Runnable op) {
        call(what, () -> {
            op.run();
            return null;
        });
    }

    public static StoreException wrap(String what, MongoException e) {
        return new StoreException("MongoDB store: " + what + " failed: " + e.getMessage(), e);
    }

    /** Code 11000 (and its legacy siblings) on a single write or a findAndModify upsert. */
    public static boolean isDuplicateKey(MongoException e) {
        if (e instanceof MongoWriteException w) {
            return w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
        }
        if (e instanceof MongoBulkWriteException) {
            return false;
        }
        return ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY;
    }
}
