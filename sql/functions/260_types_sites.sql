-- 260_types_sites.sql — what keeps 046's lists sound.

-- Sub-categories are one level deep: a category's parent has no parent,
-- and a category that has sub-categories cannot become one. The console
-- says so before it writes (admin_setup.c); this is the last word, as
-- 23514 (check_violation), which callers read as a CHECK's refusal.
CREATE OR REPLACE FUNCTION categories_one_level() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
	IF NEW.parent_id IS NULL THEN
		RETURN NEW;
	END IF;
	IF EXISTS (SELECT 1 FROM categories WHERE id = NEW.parent_id AND parent_id IS NOT NULL)
		OR EXISTS (SELECT 1 FROM categories WHERE parent_id = NEW.id) THEN
		RAISE EXCEPTION 'categories are one level deep'
			USING ERRCODE = 'check_violation';
	END IF;
	RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER categories_one_level BEFORE INSERT OR UPDATE OF parent_id ON categories
	FOR EACH ROW EXECUTE FUNCTION categories_one_level();

-- The console's workers keep the active types with the other choices
-- (008's console_choices_changed): a change of the list tells them.
CREATE OR REPLACE TRIGGER ticket_types_choices AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON ticket_types FOR EACH STATEMENT EXECUTE FUNCTION console_choices_changed();
