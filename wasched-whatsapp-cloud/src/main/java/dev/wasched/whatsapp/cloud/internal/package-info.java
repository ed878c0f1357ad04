/** The Cloud API transport's workings: HTTP calls, error mapping, webhook parsing. Not for users to import. */
package dev.wasched.whatsapp.cloud.internal;
