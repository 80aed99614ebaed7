/*
 * field.js — the technician's day: fills a check-in/out form's position
 * from the browser's geolocation when allowed (the typed reason is the
 * fallback the server asks for), and turns the signature box into a
 * canvas the customer draws on, sent as a PNG data URL. The forms work
 * without it, except signing.
 */
(function () {
	'use strict';
	document.querySelectorAll('form.field-point').forEach(function (form) {
		if (!navigator.geolocation)
			return;
		navigator.geolocation.getCurrentPosition(function (p) {
			form.elements.lat.value = p.coords.latitude;
			form.elements.lon.value = p.coords.longitude;
			form.elements.accuracy.value = p.coords.accuracy;
		}, function () {}, { enableHighAccuracy: true, timeout: 15000 });
	});
	document.querySelectorAll('form.field-sign').forEach(function (form) {
		var canvas = form.querySelector('canvas'), ctx = canvas.getContext('2d'), drawing = false,
			drawn = false;

		function at(e) {
			var r = canvas.getBoundingClientRect();
			return [(e.clientX - r.left) * canvas.width / r.width,
				(e.clientY - r.top) * canvas.height / r.height];
		}
		ctx.lineWidth = 2;
		ctx.lineCap = 'round';
		canvas.addEventListener('pointerdown', function (e) {
			var p = at(e);
			drawing = true;
			ctx.beginPath();
			ctx.moveTo(p[0], p[1]);
			canvas.setPointerCapture(e.pointerId);
		});
		canvas.addEventListener('pointermove', function (e) {
			var p;
			if (!drawing)
				return;
			p = at(e);
			ctx.lineTo(p[0], p[1]);
			ctx.stroke();
			drawn = true;
		});
		canvas.addEventListener('pointerup', function () { drawing = false; });
		form.addEventListener('submit', function () {
			if (drawn)
				form.elements.signature.value = canvas.toDataURL('image/png');
		});
	});
}());
