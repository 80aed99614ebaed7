-- 003_kb.sql — the help centre: a category tree and articles that answer
-- the questions customers really ask about their account, orders,
-- payments, warranty and the four demo products, plus a few drafts, an
-- article in review, internal ones for staff, one for signed-in customers
-- and a German translation. Safe to load again: rows are keyed by slug.

INSERT INTO kb_categories (slug, name, description, position) VALUES
	('account-access', 'Account access', 'Signing in, passwords and keeping your account safe.', 1),
	('orders-delivery', 'Orders and delivery', 'Tracking, delivery times, changes and problems with a delivery.', 2),
	('payments-refunds', 'Payments and refunds', 'Payment methods, invoices, charges and refunds.', 3),
	('warranty-returns', 'Warranty and returns', 'Returns within 30 days, warranty cover and claims.', 4),
	('product-troubleshooting', 'Product troubleshooting', 'Fix common problems with our products yourself.', 5)
ON CONFLICT (slug) DO NOTHING;

INSERT INTO kb_categories (slug, name, description, position, parent_id)
SELECT v.slug, v.name, v.description, v.position, p.id
FROM (VALUES
	('kettle', 'Aurora Kettle', 'Switching on, limescale and boiling.', 1),
	('router', 'Nimbus Wi-Fi Router', 'Internet, Wi-Fi speed and resets.', 2),
	('hub', 'Halo Smart Hub', 'Pairing devices and staying online.', 3),
	('vacuum', 'Breeze Cordless Vacuum', 'Suction, battery and charging.', 4))
	AS v (slug, name, description, position)
JOIN kb_categories p ON p.slug = 'product-troubleshooting'
ON CONFLICT (slug) DO NOTHING;

INSERT INTO kb_articles (slug, category_id, type, status, visibility, title, summary, tags,
	body, author_id, updated_by, reviewer_id, product_ids)
SELECT v.slug, c.id, v.type, v.status, v.visibility, v.title, v.summary, v.tags, v.body,
	s.id, s.id, CASE WHEN v.status = 'published' THEN r.id END,
	coalesce((SELECT ARRAY[p.id] FROM products p WHERE p.sku = v.sku), '{}')
FROM (VALUES
	('reset-your-password', 'account-access', 'howto', 'published', 'public', $md$Reset your password$md$, $md$Forgot your password? Set a new one in two minutes with the link we e-mail you.$md$, ARRAY['password', 'login', 'account']::text[],
	$md$If you cannot remember your password, you can set a new one yourself.

1. Go to the [sign-in page](/login) and choose **Forgot your password?**
2. Enter the e-mail address you use to sign in and send the form.
3. Open the e-mail from us (subject *Reset your password*) and follow the link within **one hour**.
4. Choose a new password and sign in with it.

For your security we say the same thing whether or not the address has an account, so you will not see an error if you mistype it — check the address if no e-mail arrives.

## The e-mail does not arrive

- Wait five minutes and look in your spam or junk folder.
- Make sure you used the address of your portal account, not another one.
- Each link works once; ask for a new one if you already used it or it expired.

Still stuck? [Send us a request](/tickets/new) from another address or call us.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('change-your-password', 'account-access', 'howto', 'published', 'public', $md$Change your password while signed in$md$, $md$Pick a new password from your account page; other devices stay signed in unless you sign them out.$md$, ARRAY['password', 'account', 'security']::text[],
	$md$1. Sign in and open **Account** (your name at the top right).
2. Under **Password**, type your current password and the new one.
3. Save. You stay signed in on this device.

A good password is long rather than complicated: three or four unrelated words with a number work well. We refuse passwords that appear in lists of leaked passwords.

If you think someone else knows your password, also choose **Sign out other sessions** on the same page.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('account-locked-after-failed-sign-ins', 'account-access', 'troubleshooting', 'published', 'public', $md$Account locked after too many failed sign-ins$md$, $md$After several wrong passwords we pause sign-in for a while to protect your account.$md$, ARRAY['login', 'locked', 'password', 'security']::text[],
	$md$To stop people guessing passwords, we pause sign-in for an account (and for the network address it comes from) after several failed attempts in a short time.

**What to do**

1. Wait 15 minutes, then try again — the pause ends by itself.
2. If you are not sure of the password, [reset it](/kb/a/reset-your-password) instead of guessing: a reset works even while sign-in is paused.
3. Check that Caps Lock is off and that your keyboard layout is the usual one.

If the pause keeps coming back although you did not try to sign in, someone may be guessing your password: reset it and tell us in a request.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('verify-your-email-address', 'account-access', 'howto', 'published', 'public', $md$Verify your e-mail address$md$, $md$New accounts confirm their address with a link before they can sign in.$md$, ARRAY['registration', 'email', 'account']::text[],
	$md$When you register, we send a link to the address you gave. Open it to confirm the address belongs to you; until then you cannot sign in.

- The link is valid for 24 hours and works once.
- If it expired, register again with the same address: we send a new link.
- Look in your spam folder if nothing arrives within a few minutes.

Companies that use the portal can also have an account administrator add people directly; those accounts are verified already.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('update-your-email-address', 'account-access', 'howto', 'published', 'public', $md$Change the e-mail address you sign in with$md$, $md$Update your sign-in address from the account page; we confirm the new one first.$md$, ARRAY['email', 'account', 'login']::text[],
	$md$1. Sign in and open **Account**.
2. Under **E-mail address**, enter the new address and your current password.
3. Confirm with the link we send to the new address.

Until you confirm, you keep signing in with the old address. We also tell the old address that a change was asked for, so you notice if it was not you.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('sign-out-everywhere', 'account-access', 'best_practice', 'published', 'public', $md$Keep your account safe$md$, $md$Simple habits that keep your orders, invoices and requests private.$md$, ARRAY['security', 'account', 'password']::text[],
	$md$- **Use a password you use nowhere else.** A password manager makes this painless.
- **Sign out on shared computers**, or use a private browser window.
- **Review your sessions** on the Account page and end the ones you do not recognise.
- **Be wary of e-mails asking for your password.** We never ask for it — not by e-mail, not by phone.
- **Keep your e-mail account safe too**: whoever reads your mail can reset your password.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('track-your-order', 'orders-delivery', 'howto', 'published', 'public', $md$Track your order$md$, $md$Follow your parcel with the tracking link in your dispatch e-mail.$md$, ARRAY['order', 'delivery', 'tracking', 'shipping']::text[],
	$md$As soon as your order leaves our warehouse we send a **dispatch e-mail** with the carrier's name and a tracking link.

- Tracking usually shows the first scan within 24 hours of dispatch.
- Orders placed before 14:00 on a working day normally leave the same day.
- Large items (vacuums, bundles) travel with a freight carrier, who calls you to agree a delivery slot.

If the tracking has not moved for three working days, [send us a request](/tickets/new) with your order number: we open an enquiry with the carrier.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('delivery-times-and-costs', 'orders-delivery', 'faq', 'published', 'public', $md$How long does delivery take and what does it cost?$md$, $md$Standard delivery takes 2–4 working days and is free above 50 €.$md$, ARRAY['delivery', 'shipping', 'costs']::text[],
	$md$| Option | Time | Cost |
|---|---|---|
| Standard | 2–4 working days | 4.95 €, free above 50 € |
| Express (order before 14:00) | next working day | 9.95 € |
| Freight (large items) | 3–6 working days, slot agreed by phone | free |

Times are counted from dispatch. Islands and remote areas may take one or two days longer. You see the exact cost at checkout before you pay.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('parcel-marked-delivered-but-not-received', 'orders-delivery', 'troubleshooting', 'published', 'public', $md$Parcel marked as delivered but not received$md$, $md$Check these places first, then tell us within 7 days so we can open a carrier enquiry.$md$, ARRAY['delivery', 'missing', 'parcel', 'tracking']::text[],
	$md$Most "missing" parcels turn up within a day. Before contacting us:

1. Check the tracking page for a **delivery photo** or a signature name.
2. Look around the delivery address: porch, garage, bins, reception or mail room.
3. Ask neighbours — carriers often leave parcels next door and post a card.
4. Check whether the parcel went to a **pick-up point**; the card or tracking names it.

If it is still missing, [send us a request](/tickets/new) **within 7 days** with the order number. We open an enquiry with the carrier and, if the parcel is not found within 5 working days, send a replacement or refund you.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('change-or-cancel-an-order', 'orders-delivery', 'faq', 'published', 'public', $md$Can I change or cancel my order?$md$, $md$Until the order is dispatched we can change the address or cancel it at no cost.$md$, ARRAY['order', 'cancel', 'address']::text[],
	$md$**Before dispatch** — contact us as soon as possible with the order number. We can change the delivery address, swap a colour, or cancel the order and refund you in full.

**After dispatch** — we can no longer stop the parcel. Refuse the delivery or send it back within 30 days: see [Return an item](/kb/a/return-an-item).

Orders usually leave within a few hours on working days, so the sooner you ask, the better.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('damaged-on-arrival', 'orders-delivery', 'troubleshooting', 'published', 'public', $md$An item arrived damaged$md$, $md$Photograph the item and the box, keep the packaging, and tell us within 48 hours.$md$, ARRAY['delivery', 'damaged', 'replacement']::text[],
	$md$We are sorry — that should not happen. To get a replacement quickly:

1. **Take photos** of the damage, the outer box and the shipping label.
2. **Keep all packaging** until the case is closed: the carrier may want to inspect it.
3. [Send us a request](/tickets/new) within **48 hours** of delivery with the photos attached.

Do not use a product that arrived with a cracked housing or damaged cable. We send a replacement as soon as the photos are checked, usually the same day, and collect the damaged item at no cost.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('wrong-item-received', 'orders-delivery', 'troubleshooting', 'published', 'public', $md$I received the wrong item$md$, $md$We send the right one and collect the wrong one for free.$md$, ARRAY['order', 'wrong item', 'replacement']::text[],
	$md$Tell us in a request with your order number and a photo of the item and its label. We dispatch the correct item straight away and arrange a free collection of the wrong one. Please keep the wrong item unused and in its packaging until it is collected.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('payment-methods', 'payments-refunds', 'faq', 'published', 'public', $md$Which payment methods do you accept?$md$, $md$Cards, PayPal, bank transfer and invoice for business customers.$md$, ARRAY['payment', 'card', 'invoice']::text[],
	$md$- **Cards**: Visa, Mastercard, American Express. Your card is charged when the order ships.
- **PayPal**.
- **Bank transfer**: we reserve the items for 7 days and ship when the money arrives.
- **Invoice** (business accounts): 30 days net; ask your account manager to enable it.

We never store your full card number; payments are handled by our payment provider.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('when-will-i-get-my-refund', 'payments-refunds', 'faq', 'published', 'public', $md$When will I get my refund?$md$, $md$Refunds are issued within 3 working days of us receiving the return; banks take 3–5 more days.$md$, ARRAY['refund', 'return', 'payment']::text[],
	$md$1. We check the returned item within **3 working days** of receiving it.
2. We then refund the **original payment method** and send you an e-mail.
3. Your bank or card issuer usually shows the money within **3–5 working days**; PayPal is faster.

Delivery costs are refunded too when you return the whole order. If the refund has not arrived 10 working days after our e-mail, send us a request and we will send you the payment reference to give to your bank.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('charged-twice', 'payments-refunds', 'troubleshooting', 'published', 'public', $md$I was charged twice$md$, $md$Usually one of the two is a pre-authorisation that disappears within a few days.$md$, ARRAY['payment', 'card', 'charge', 'refund']::text[],
	$md$When you pay by card, your bank may show a **pending authorisation** and then the **actual charge**. The authorisation disappears by itself, usually within 3–7 days depending on your bank.

Check your statement: if one entry is marked *pending* or *reserved*, no action is needed.

If both entries are **booked** (not pending) after 7 days, [send us a request](/tickets/new) with the order number and a screenshot of the statement with other lines hidden. We refund the duplicate within 2 working days.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('download-an-invoice', 'payments-refunds', 'howto', 'published', 'public', $md$Get an invoice for your order$md$, $md$Invoices are sent with the dispatch e-mail; we can send a copy with a company name and VAT number.$md$, ARRAY['invoice', 'vat', 'payment']::text[],
	$md$Your invoice is attached to the **dispatch e-mail** as a PDF.

Need a copy, or an invoice in your company's name with its VAT number? Send us a request with the order number and the exact company details. We issue a corrected invoice within one working day; the original is cancelled.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('payment-declined', 'payments-refunds', 'troubleshooting', 'published', 'public', $md$My payment was declined$md$, $md$Most declines come from the bank: check the amount limit, the 3-D Secure step and the billing address.$md$, ARRAY['payment', 'card', 'declined']::text[],
	$md$Common reasons, in order of likelihood:

1. **3-D Secure not completed** — the bank app asks you to approve; the page times out after a few minutes.
2. **Online or spending limit** reached on the card.
3. **Billing address mismatch** — it must match what your bank has on file.
4. **Card expired** or blocked for online use.

Try again after checking these, or use another method. We do not see the reason for a decline; only your bank does.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('price-drop-after-purchase', 'payments-refunds', 'faq', 'published', 'public', $md$The price dropped after I bought — can I get the difference?$md$, $md$Within 14 days of delivery we refund the difference once per order.$md$, ARRAY['price', 'refund']::text[],
	$md$Yes: if our own price for the same item drops within **14 days of delivery**, send us a request with the order number and a link to the product. We refund the difference to your original payment method. This applies once per order and not to clearance items or third-party prices.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('return-an-item', 'warranty-returns', 'howto', 'published', 'public', $md$Return an item within 30 days$md$, $md$Send back any item within 30 days of delivery for a full refund — the return label is free.$md$, ARRAY['return', 'refund', 'label']::text[],
	$md$You can return any item within **30 days of delivery**, for any reason.

1. [Send us a request](/tickets/new) choosing the topic *Warranty and returns*, with the order number and the items you return.
2. We reply with a **free return label** and a return number (RMA).
3. Pack the item, ideally in its original box, with all accessories. Write the RMA number on the box.
4. Drop it at any parcel shop of the carrier named on the label.

The refund follows within 3 working days of the item arriving: see [When will I get my refund?](/kb/a/when-will-i-get-my-refund)$md$,
	'sam@demo.csdesk.test', NULL::text),
	('warranty-what-is-covered', 'warranty-returns', 'faq', 'published', 'public', $md$What does the warranty cover?$md$, $md$Two years on manufacturing faults for all products; three years on the Nimbus router when registered.$md$, ARRAY['warranty', 'repair', 'registration']::text[],
	$md$Every product has a **two-year warranty** from the date of delivery against faults in materials and manufacturing.

**Covered**: a product that stops working in normal household use, faulty batteries that hold less than 70 % of their charge within the warranty period, defects present at delivery.

**Not covered**: accidental damage (drops, liquid), limescale damage in kettles that were never descaled, wear parts such as vacuum filters and brushes, misuse or repairs by others.

Register your product (see [Register your product](/kb/a/register-your-product)) to extend the Nimbus router's warranty to **three years**.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('register-your-product', 'warranty-returns', 'howto', 'published', 'public', $md$Register your product$md$, $md$Registration speeds up warranty claims and extends some warranties.$md$, ARRAY['warranty', 'registration', 'serial']::text[],
	$md$1. Find the **serial number**: on the rating label under the base (kettle, hub), on the back (router) or inside the dust bin housing (vacuum).
2. Send it to us with the order number in a request, or give it when you open a warranty claim.

Registered products need no proof of purchase when you claim, and the Nimbus router gains a third year of warranty.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('make-a-warranty-claim', 'warranty-returns', 'howto', 'published', 'public', $md$Make a warranty claim$md$, $md$Describe the fault with the serial number; we repair, replace or refund.$md$, ARRAY['warranty', 'claim', 'repair', 'serial']::text[],
	$md$1. Check the troubleshooting articles for your product first — many faults are fixed in minutes.
2. [Send us a request](/tickets/new) with the topic *Warranty and returns*, the product, its **serial number**, and what happens (a short video helps a lot).
3. If we cannot fix it remotely, we send a **free collection label**. Repairs take about 7 working days; when a repair is not possible we replace the product or refund it.

You keep your warranty on the repaired or replaced product for the rest of the original period, and at least 6 months.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('return-without-original-box', 'warranty-returns', 'faq', 'published', 'public', $md$Can I return an item without the original box?$md$, $md$Yes — pack it safely in any sturdy box.$md$, ARRAY['return', 'packaging']::text[],
	$md$Yes. Use any sturdy box with padding (paper, bubble wrap) so the item cannot move. Include all accessories and the manual if you still have them. Items damaged in transit because of poor packaging may be refunded only in part, so take a minute to pack well.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('kettle-does-not-switch-on', 'kettle', 'troubleshooting', 'published', 'public', $md$Aurora Kettle does not switch on$md$, $md$Usually the kettle is not seated on its base or the boil-dry protection has tripped.$md$, ARRAY['kettle', 'power', 'aurora']::text[],
	$md$1. **Lift the kettle and put it back** firmly on the base; it should sit flat and turn freely.
2. Check the socket with another appliance, and that the base's cable is fully plugged in.
3. **Boil-dry protection**: if the kettle was switched on empty, it stays off until it cools. Wait 15 minutes, fill it above the MIN mark and try again.
4. Look at the base's contacts: limescale or water there stops the connection. Unplug, dry and wipe them.

If the light does not come on after these steps, claim under warranty with the serial number from the bottom of the kettle.$md$,
	'sam@demo.csdesk.test', 'KT-200'),
	('descale-your-kettle', 'kettle', 'best_practice', 'published', 'public', $md$Descale your Aurora Kettle$md$, $md$Descale monthly in hard-water areas to keep the kettle fast, quiet and within warranty.$md$, ARRAY['kettle', 'limescale', 'maintenance', 'aurora']::text[],
	$md$Limescale makes the kettle slower and louder and can trip the switch early.

1. Fill the kettle to half with equal parts **water and white vinegar** (or citric acid: 2 tablespoons in 1 litre of water).
2. Boil once, switch off, and leave it for **an hour**.
3. Empty, rinse, then boil fresh water twice and pour it away.

Do it **every month** in hard-water areas, every three months elsewhere. Never use a scouring pad inside: it scratches the element plate.$md$,
	'sam@demo.csdesk.test', 'KT-200'),
	('kettle-switches-off-before-boiling', 'kettle', 'troubleshooting', 'published', 'public', $md$Kettle switches off before the water boils$md$, $md$Almost always limescale on the sensor; descaling fixes it.$md$, ARRAY['kettle', 'limescale', 'aurora']::text[],
	$md$The kettle senses steam to switch off. Limescale around the element or a lid that is not closed lets steam reach the switch early.

- Close the lid until it clicks.
- [Descale the kettle](/kb/a/descale-your-kettle).
- Do not fill above MAX: water in the spout filter can cause the same.

If it still stops early after descaling, claim under warranty.$md$,
	'sam@demo.csdesk.test', 'KT-200'),
	('router-no-internet', 'router', 'troubleshooting', 'published', 'public', $md$Nimbus router: connected to Wi-Fi but no internet$md$, $md$Restart in the right order, check the WAN light, then the line from your provider.$md$, ARRAY['router', 'wifi', 'internet', 'nimbus']::text[],
	$md$1. **Look at the WAN light** on the front: white is fine, amber means no connection to your provider.
2. **Restart in order**: switch off the modem or fibre box and the router; start the modem first, wait until it is ready (about 2 minutes), then the router.
3. Check the **cable** between modem and the router's blue WAN port.
4. In the app, open **Internet** and check the connection type your provider needs (DHCP for most cable and fibre lines, PPPoE with user name and password for DSL).

If WAN stays amber with the right settings, the problem is usually with the line: contact your internet provider. If WAN is white but devices have no internet, [send us a request](/tickets/new) with the router's serial number.$md$,
	'sam@demo.csdesk.test', 'RT-100'),
	('router-slow-wifi', 'router', 'troubleshooting', 'published', 'public', $md$Nimbus router: Wi-Fi is slow or drops$md$, $md$Placement, channel and band choice fix most slow Wi-Fi.$md$, ARRAY['router', 'wifi', 'slow', 'nimbus']::text[],
	$md$- **Place the router high and central**, away from microwaves, fish tanks and metal cabinets.
- Use the **5 GHz** network for devices in the same or next room; 2.4 GHz reaches further but is slower.
- In the app, run **Optimise channels**: it picks the least crowded channel for each band.
- **Update the firmware** (Settings → Firmware); updates often improve stability.
- Measure the speed with a cable: if it is slow there too, the line is the bottleneck, not the Wi-Fi.

For large homes, add a Nimbus satellite rather than a repeater from another brand.$md$,
	'sam@demo.csdesk.test', 'RT-100'),
	('router-factory-reset', 'router', 'howto', 'published', 'public', $md$Reset the Nimbus router to factory settings$md$, $md$Hold the reset button for 10 seconds; you will need to set up the router again.$md$, ARRAY['router', 'reset', 'nimbus']::text[],
	$md$A factory reset erases the Wi-Fi name and password, port forwarding and all other settings.

1. Keep the router switched on.
2. Press and hold the **recessed reset button** on the back with a paper clip for **10 seconds**, until the light flashes white.
3. Wait 3 minutes for the restart.
4. Connect to the Wi-Fi name and password printed on the label under the router and run setup in the app.

Try a simple restart first: it fixes most problems without losing settings.$md$,
	'sam@demo.csdesk.test', 'RT-100'),
	('hub-not-pairing', 'hub', 'troubleshooting', 'published', 'public', $md$Halo Smart Hub: a device will not pair$md$, $md$Put the device in pairing mode close to the hub and check it is a supported type.$md$, ARRAY['hub', 'pairing', 'zigbee', 'halo']::text[],
	$md$1. **Bring the device within 2 metres** of the hub for pairing; move it afterwards.
2. **Reset the device** to pairing mode as its maker describes (often: hold the button 5 seconds until it blinks).
3. In the app, choose **Add device** and wait up to 60 seconds.
4. Check that the device uses **Zigbee 3.0 or Matter**; Bluetooth-only devices cannot pair with the hub.
5. Restart the hub (unplug for 10 seconds) if it paired nothing for a while.

If one device still refuses while others pair, the device is the likely cause; if none pair, send us a request with the hub's serial number.$md$,
	'sam@demo.csdesk.test', 'HB-300'),
	('hub-offline', 'hub', 'troubleshooting', 'published', 'public', $md$Halo Smart Hub shows as offline in the app$md$, $md$The hub lost its network: check the cable or Wi-Fi, then restart it.$md$, ARRAY['hub', 'offline', 'wifi', 'halo']::text[],
	$md$- If the hub uses a **network cable**, check both ends and try another port on your router.
- On **Wi-Fi**, the hub only supports 2.4 GHz networks: make sure that band is switched on.
- A ring that pulses **amber** means no internet; **red** means no network at all.
- Restart the hub by unplugging it for 10 seconds.
- Changed your Wi-Fi password? Run **Settings → Hub → Change network** in the app.

Your automations keep running locally while the hub is offline; only remote control needs the connection.$md$,
	'sam@demo.csdesk.test', 'HB-300'),
	('vacuum-loses-suction', 'vacuum', 'troubleshooting', 'published', 'public', $md$Breeze vacuum loses suction$md$, $md$A full bin, a clogged filter or a blockage in the wand causes nearly every loss of suction.$md$, ARRAY['vacuum', 'suction', 'filter', 'breeze']::text[],
	$md$1. **Empty the dust bin** — suction drops well before it looks full.
2. **Wash the filter** under cold water (no soap) and let it dry for **24 hours** before refitting.
3. **Check for blockages**: detach the wand and the floor head and look through them; a coin or sock is often the cause.
4. Clear hair wrapped around the **brush roll** (it lifts out after turning the end cap).

If the motor pulses on and off, the vacuum is protecting itself from a blockage: switch off and look again.$md$,
	'sam@demo.csdesk.test', 'VC-450'),
	('vacuum-battery-runtime', 'vacuum', 'best_practice', 'published', 'public', $md$Get the longest battery life from your Breeze vacuum$md$, $md$Eco mode, clean filters and sensible charging give the most minutes per charge and years of battery life.$md$, ARRAY['vacuum', 'battery', 'breeze']::text[],
	$md$- Use **Eco mode** for everyday cleaning: about 40 minutes instead of 8 on Boost.
- Keep the **filter clean**: a clogged filter makes the motor work harder and drains the battery.
- Store the vacuum **indoors** between 10 °C and 30 °C; cold garages shorten battery life.
- You can leave it on the charger: charging stops when full.
- If it is unused for months, charge it to about half before storing.

Batteries are covered by warranty when they keep less than 70 % of their charge within two years.$md$,
	'sam@demo.csdesk.test', 'VC-450'),
	('vacuum-will-not-charge', 'vacuum', 'troubleshooting', 'published', 'public', $md$Breeze vacuum will not charge$md$, $md$Check the charger light, the contacts and the temperature.$md$, ARRAY['vacuum', 'battery', 'charging', 'breeze']::text[],
	$md$1. The charger's light should be on when plugged in; try another socket.
2. Clean the **charging contacts** on the vacuum and the dock with a dry cloth.
3. A battery that is too **cold or hot** does not charge: let it reach room temperature.
4. Leave it on charge for 4 hours; a fully drained battery may show nothing for the first minutes.

No light on the battery after that? Claim under warranty with the serial number from inside the bin housing.$md$,
	'sam@demo.csdesk.test', 'VC-450'),
	('router-firmware-3-2-known-issues', 'router', 'troubleshooting', 'draft', 'public', $md$Nimbus firmware 3.2: known issues$md$, $md$Draft notes on the 3.2 rollout.$md$, ARRAY['router', 'firmware', 'nimbus']::text[],
	$md$Draft. Some users report the 5 GHz network disappearing after the update. Workaround under test: switch *Smart Connect* off and on again.$md$,
	'alex@demo.csdesk.test', 'RT-100'),
	('gift-cards', 'payments-refunds', 'faq', 'review', 'public', $md$Gift cards: how they work$md$, $md$Draft: gift cards launch next quarter.$md$, ARRAY['gift card', 'payment']::text[],
	$md$Gift cards can be used for any order and are valid for three years. (Draft — waiting for the legal text.)$md$,
	'alex@demo.csdesk.test', NULL::text),
	('bulk-order-discounts', 'orders-delivery', 'faq', 'draft', 'public', $md$Discounts for bulk orders$md$, $md$Draft.$md$, ARRAY['order', 'business']::text[],
	$md$Business customers ordering 20 or more units of one product get a quote from their account manager.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('agent-refund-approval-limits', 'payments-refunds', 'best_practice', 'published', 'internal', $md$Refund approval limits for agents$md$, $md$Internal: who approves which refund.$md$, ARRAY['refund', 'internal', 'approval']::text[],
	$md$- Agents refund up to **150 €** on their own, with the reason in an internal note.
- Up to **1,000 €**: a supervisor approves in the ticket.
- Above that, or for a second refund on the same order: the finance team.

Always refund to the original payment method; never to a different account.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('escalating-carrier-claims', 'orders-delivery', 'howto', 'published', 'internal', $md$Escalating a lost parcel to the carrier$md$, $md$Internal: the carrier claims process.$md$, ARRAY['delivery', 'carrier', 'internal']::text[],
	$md$1. Open the claim in the carrier portal with the tracking number; note the claim id in the ticket.
2. Carriers answer within 5 working days; set the ticket to *pending parts* meanwhile.
3. Do not wait for the claim to send a replacement to a customer with good history.$md$,
	'sam@demo.csdesk.test', NULL::text),
	('business-account-invoicing', 'payments-refunds', 'howto', 'published', 'customers', $md$Pay by invoice with a business account$md$, $md$Business accounts can pay by invoice with 30 days to pay.$md$, ARRAY['invoice', 'business', 'payment']::text[],
	$md$Signed-in business customers can choose **Invoice** at checkout once their account manager has enabled it.

- Payment is due **30 days** after the invoice date.
- The credit limit depends on your account; ask us to raise it.
- Reminders go to the billing contact on your account.$md$,
	'sam@demo.csdesk.test', NULL::text)
) AS v (slug, cat, type, status, visibility, title, summary, tags, body, author, sku)
JOIN kb_categories c ON c.slug = v.cat
LEFT JOIN staff s ON s.email = v.author
LEFT JOIN staff r ON r.email = 'admin@demo.csdesk.test'
ON CONFLICT (slug) WHERE original_id IS NULL DO NOTHING;

-- The German version of the password article, made from its present text.
INSERT INTO kb_articles (slug, category_id, type, status, visibility, language, original_id,
	source_version, title, summary, tags, body, author_id, updated_by)
SELECT o.slug, o.category_id, o.type, 'published', o.visibility, 'de', o.id, o.content_version,
	$md$Passwort zurücksetzen$md$, $md$Passwort vergessen? Mit dem Link, den wir Ihnen senden, legen Sie in zwei Minuten ein neues fest.$md$, o.tags, $md$Wenn Sie Ihr Passwort vergessen haben, legen Sie selbst ein neues fest.

1. Öffnen Sie die [Anmeldeseite](/login) und wählen Sie **Passwort vergessen?**
2. Geben Sie die E-Mail-Adresse Ihres Kontos ein und senden Sie das Formular.
3. Öffnen Sie unsere E-Mail und folgen Sie dem Link innerhalb **einer Stunde**.
4. Wählen Sie ein neues Passwort und melden Sie sich damit an.

Keine E-Mail erhalten? Warten Sie fünf Minuten und sehen Sie im Spam-Ordner nach.$md$, s.id, s.id
FROM kb_articles o LEFT JOIN staff s ON s.email = 'sam@demo.csdesk.test'
WHERE o.slug = 'reset-your-password' AND o.original_id IS NULL
ON CONFLICT (original_id, language) DO NOTHING;
