/** Implementation of the MongoDB store: repositories, document mapping, chunking. Not API; may change any time. */
package dev.wasched.store.mongo.internal;
