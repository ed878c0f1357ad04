/**
 * The MongoDB store: {@link dev.wasched.store.mongo.MongoStore}. Everything else in this module is in
 * {@code dev.wasched.store.mongo.internal} and is not API.
 */
package dev.wasched.store.mongo;
