package dev.wasched.testkit.store;

import dev.wasched.memory.InMemoryStore;
import dev.wasched.spi.store.WaschedStore;

class InMemoryStoreCompatibilityTest extends StoreCompatibilityKit {
    @Override
    protected WaschedStore createStore() {
        return new InMemoryStore();
    }
}
