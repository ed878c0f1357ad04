/**
 * A fake of the WhatsApp Business Platform's Cloud API for tests: {@link dev.wasched.testkit.cloud.FakeCloudApi}
 * serves one business phone number over real HTTP on {@code 127.0.0.1} and pushes signed webhooks to a configured URL.
 *
 * <h2>What it serves</h2>
 * <ul>
 *   <li>{@code GET /{version}/{phone-number-id}}: the number ({@code display_phone_number}, {@code verified_name}).</li>
 *   <li>{@code POST /{version}/{phone-number-id}/messages} with {@code messaging_product: "whatsapp"}, {@code to},
 *       {@code type} and {@code text.body}, {@code image|video|audio|document} by uploaded {@code id} (with
 *       {@code caption}; none for audio), or {@code template} ({@code name}, {@code language.code}, body
 *       {@code components[].parameters[]} of type text). The answer is {@code {"messaging_product","contacts":[{"input",
 *       "wa_id"}],"messages":[{"id":"wamid.…","message_status":"accepted"}]}}.</li>
 *   <li>{@code POST /{version}/{phone-number-id}/media}: multipart form with {@code messaging_product}, {@code type}
 *       and {@code file}; answers {@code {"id"}}.</li>
 *   <li>Errors as the Graph API's error object {@code {"error":{"message","type","code","error_data":{
 *       "messaging_product","details"},"fbtrace_id"}}}: 401/190 for a wrong or expired token, 131026 for a number
 *       without WhatsApp, 131047 for free-form messages outside the 24-hour window (opened by
 *       {@link dev.wasched.testkit.cloud.FakeCloudApi#injectIncoming}), 132001 for a template that is missing or not
 *       APPROVED, 132000 for a wrong parameter count, 131053 for an unknown media id, 100 for malformed
 *       requests.</li>
 *   <li>Webhooks: {@code {"object":"whatsapp_business_account","entry":[{"id","changes":[{"field":"messages","value":{
 *       "messaging_product","metadata":{"display_phone_number","phone_number_id"},"contacts":[{"wa_id","profile":{
 *       "name"}}],"messages":[{"from","id","timestamp","type","text":{"body"},"context"}],"statuses":[{"id",
 *       "status","timestamp","recipient_id","conversation":{"id","origin":{"type"}},"pricing":{"billable",
 *       "pricing_model","category"},"biz_opaque_callback_data","errors":[{"code","title"}]}]}}]}]}}, signed with
 *       {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>}, several events per
 *       notification, posted again (with growing pauses) until answered 200.</li>
 * </ul>
 *
 * <h2>Simplifications</h2>
 * <ul>
 *   <li>A number without WhatsApp is refused in the send's answer (131026); the real API may instead accept it and
 *       report a {@code failed} status with the code later ({@link dev.wasched.testkit.cloud.FakeCloudApi#fail}
 *       pushes one).</li>
 *   <li>Statuses SENT and DELIVERED are pushed at once for every accepted message (configurable); READ only when a
 *       test asks. Meta does not promise their order; the fake keeps it.</li>
 *   <li>No throughput limits of its own: tests inject them ({@link dev.wasched.testkit.cloud.CloudFault}).</li>
 * </ul>
 *
 * <h2>Sources of the facts it models</h2>
 * <ul>
 *   <li>Meta, "WhatsApp error codes" (developers.facebook.com/documentation/business-messaging/whatsapp/support/
 *       error-codes): the error object's fields, errors sent synchronously and through webhooks
 *       ({@code entry.changes.value.errors}), the codes 130429 (throughput), 131056 (pair rate), 131047
 *       (re-engagement), 131026 (undeliverable), 190 (access token), 1 and 2 (unknown / service).</li>
 *   <li>Third-party references that repeat those codes: niswey.com "error codes meta" (130429 "Cloud API message
 *       throughput has been reached", 131048, 1 "API Unknown", 2 "API Service" temporary), docs.chatsyncs.com
 *       "error handling and codes" (190, 131030 test recipients, 131047 window closed, 131026), docs.ycloud.com
 *       "whatsapp errors" (131056 pair rate limit with its {@code error_data.details}), dev.to "WhatsApp Cloud API
 *       Rate Limits in Practice" (80 messages per second per number by default; about one message every 6 seconds to
 *       one customer).</li>
 *   <li>Great Detail's WhatsApp Node.js SDK (GitHub, message types): the send request's fields, the answer's
 *       {@code contacts[].wa_id} and {@code messages[].id}/{@code message_status}, and {@code biz_opaque_callback_data}
 *       ("Cloud API does not process this field, it just returns it as part of sent/delivered/read message
 *       webhooks"); audio messages take no caption.</li>
 *   <li>Webhook payload types in open-source clients found on GitHub (for example shaikhmudassir/Django-CRM
 *       {@code chat/ref.py}, 3rfm-its-davis/odometer-reading {@code WhatsappMessageRequest.ts}, piusalfred/whatsapp
 *       {@code webhooks}): {@code entry[].changes[].value} with {@code metadata.phone_number_id}, {@code contacts[]},
 *       {@code messages[]} and {@code statuses[]} with {@code conversation} and {@code pricing}; status values sent,
 *       delivered, read, failed.</li>
 *   <li>The {@code hub.mode}/{@code hub.verify_token}/{@code hub.challenge} handshake and the {@code X-Hub-Signature-256}
 *       header: Meta's Graph API webhooks getting-started guide, as quoted by piusalfred/whatsapp and the receivers
 *       above.</li>
 * </ul>
 */
package dev.wasched.testkit.cloud;
