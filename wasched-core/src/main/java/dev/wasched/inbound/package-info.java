/** Messages the accounts receive: replies to what was sent, and anything else people write to them. */
package dev.wasched.inbound;
