package dev.wasched.whatsapp.internal;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.PlaywrightException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Puts an old storage-state snapshot (cookies, localStorage, IndexedDB) into a running persistent context, for the
 * one attempt an old snapshot gets. Playwright's driver takes the state as an object, but the Java client's
 * {@code BrowserContext.setStorageState(Path)} sends it as a string, which the driver refuses ("expected object, got
 * string"); so the driver's command is sent as it expects it, through the client's channel.
 */
final class StorageStates {
    private StorageStates() {
    }

    static void apply(BrowserContext context, String storageStateJson) {
        JsonObject params = new JsonObject();
        params.add("storageState", JsonParser.parseString(storageStateJson).getAsJsonObject());
        Method send;
        Object noTimeout;
        try {
            Class<?> owner = Class.forName("com.microsoft.playwright.impl.ChannelOwner");
            send = owner.getDeclaredMethod("sendMessage", String.class, JsonObject.class, Double.class);
            send.setAccessible(true);
            Field f = owner.getDeclaredField("NO_TIMEOUT");
            f.setAccessible(true);
            noTimeout = f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new UnsupportedOperationException("this Playwright version cannot apply a storage state to a "
                    + "running context: " + e, e);
        }
        try {
            send.invoke(context, "setStorageState", params, noTimeout);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new PlaywrightException("setStorageState failed: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new UnsupportedOperationException("this Playwright version cannot apply a storage state: " + e, e);
        }
    }
}
