package dev.wasched.internal.service;

import dev.wasched.NotFoundException;
import dev.wasched.ValidationException;
import dev.wasched.internal.engine.EngineContext;
import dev.wasched.internal.session.Digests;
import dev.wasched.message.MediaAttachment;
import dev.wasched.message.MediaService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

public final class MediaServiceImpl implements MediaService {
    private final EngineContext ctx;

    public MediaServiceImpl(EngineContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public MediaAttachment store(byte[] bytes, String mimeType, String fileName) {
        if (bytes == null || bytes.length == 0) {
            throw new ValidationException("media", "file '" + fileName + "' is empty");
        }
        long max = ctx.config().maxMediaBytes();
        if (bytes.length > max) {
            throw new ValidationException("media", "file '" + fileName + "' has " + bytes.length
                    + " bytes, the limit is " + max);
        }
        MediaAttachment a = new MediaAttachment(Digests.sha256(bytes), mimeType, fileName, bytes.length);
        ctx.store().media().put(a, bytes);
        return a;
    }

    @Override
    public MediaAttachment store(Path file, String mimeType) {
        try {
            long size = Files.size(file);
            if (size > ctx.config().maxMediaBytes()) {
                throw new ValidationException("media", "file '" + file + "' has " + size + " bytes, the limit is "
                        + ctx.config().maxMediaBytes());
            }
            String mime = mimeType != null ? mimeType : Files.probeContentType(file);
            if (mime == null) {
                throw new ValidationException("media", "cannot tell the MIME type of '" + file + "'; pass it explicitly");
            }
            return store(Files.readAllBytes(file), mime, file.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read media file " + file, e);
        }
    }

    @Override
    public byte[] get(MediaAttachment attachment) {
        return ctx.store().media().get(attachment.sha256())
                .orElseThrow(() -> new NotFoundException("media", attachment.sha256()));
    }
}
