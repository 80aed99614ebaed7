-- 030_product_catalogue.sql — what after-sales needs to know of a product:
-- its category (return windows and reports group by it), its model, and the
-- manufacturer's warranty terms that coverage is computed from. Until now a
-- product was a SKU and a name.
--
-- Terms are months from a start date; which date is the product's basis
-- (delivery, invoice or installation). Travel has no months of its own: when
-- the product covers travel, it is covered as long as labour is.

CREATE TABLE product_categories (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
	active boolean NOT NULL DEFAULT true
);

ALTER TABLE products
	ADD COLUMN category_id bigint REFERENCES product_categories (id),
	ADD COLUMN model text CHECK (length(model) <= 100),
	ADD COLUMN parts_months integer NOT NULL DEFAULT 12 CHECK (parts_months BETWEEN 0 AND 240),
	ADD COLUMN labour_months integer NOT NULL DEFAULT 12 CHECK (labour_months BETWEEN 0 AND 240),
	ADD COLUMN travel_covered boolean NOT NULL DEFAULT false,
	ADD COLUMN warranty_basis text NOT NULL DEFAULT 'delivery'
		CHECK (warranty_basis IN ('delivery', 'invoice', 'installation')),
	ADD COLUMN serviceable boolean NOT NULL DEFAULT true;

CREATE INDEX products_category_idx ON products (category_id);
