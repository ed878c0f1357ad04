/** The transport's machinery: browser life cycle, page scripts, processes, session format. Not API. */
package dev.wasched.whatsapp.internal;
