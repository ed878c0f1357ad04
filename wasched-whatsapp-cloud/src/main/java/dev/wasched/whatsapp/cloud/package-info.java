/**
 * The official WhatsApp Business Platform (Cloud API) as a wasched transport: {@link
 * dev.wasched.whatsapp.cloud.CloudApiTransport} (one per business phone number), configured by {@link
 * dev.wasched.whatsapp.cloud.CloudApiConfig}, with acks and replies from a {@link
 * dev.wasched.whatsapp.cloud.CloudWebhook} served by {@link dev.wasched.whatsapp.cloud.CloudWebhookServer} or {@link
 * dev.wasched.whatsapp.cloud.CloudWebhookServlet}.
 */
package dev.wasched.whatsapp.cloud;
