package record

import "slices"

// Vocabulary is a controlled list of codes for one coded field. Codes are
// stable ASCII identifiers; their labels live in the message catalogs under
// LabelKey.
type Vocabulary struct {
	// Name identifies the list, e.g. "firearm_category".
	Name  string
	Codes []string
}

// Has reports whether code is in the list.
func (v Vocabulary) Has(code string) bool { return slices.Contains(v.Codes, code) }

// LabelKey is the catalog key of a code's label: "enum.<name>.<code>".
func (v Vocabulary) LabelKey(code string) string { return "enum." + v.Name + "." + code }

// The controlled vocabularies of the record model (DESIGN.md §3).
var (
	Statuses = Vocabulary{"status", []string{StatusDraft, StatusFinal}}

	ItemKinds = Vocabulary{"item_kind", []string{KindFirearm, KindPart, KindAmmunition, KindExplosive, KindOther}}

	// FirearmCategories follows the UN 1997 Panel of Governmental Experts on
	// Small Arms list, with shotguns added: small arms first, then light
	// weapons.
	FirearmCategories = Vocabulary{"firearm_category", []string{
		"pistol", "revolver", "rifle", "carbine", "assault_rifle", "submachine_gun", "light_machine_gun", "shotgun",
		"heavy_machine_gun", "grenade_launcher", "anti_aircraft_gun", "anti_tank_gun", "recoilless_rifle",
		"anti_tank_missile_launcher", "manpads", "mortar",
		"other_firearm",
	}}

	// LightWeaponCategories is the light-weapon part of FirearmCategories.
	LightWeaponCategories = []string{"heavy_machine_gun", "grenade_launcher", "anti_aircraft_gun", "anti_tank_gun",
		"recoilless_rifle", "anti_tank_missile_launcher", "manpads", "mortar"}

	PartTypes = Vocabulary{"part_type", []string{
		"barrel", "frame", "receiver", "slide", "cylinder", "bolt", "breech_block", "suppressor", "magazine", "other_part",
	}}

	AmmunitionTypes = Vocabulary{"ammunition_type", []string{
		"ball", "armour_piercing", "tracer", "incendiary", "blank", "shot", "slug", "grenade", "rocket", "mortar_bomb", "other_ammunition",
	}}

	ExplosiveTypes = Vocabulary{"explosive_type", []string{
		"hand_grenade", "mine", "ied", "detonator", "detonating_cord", "tnt", "plastic_explosive", "industrial_explosive",
		"propellant", "artillery_shell", "other_explosive",
	}}

	SerialStates = Vocabulary{"serial_state", []string{"intact", "partly_obliterated", "obliterated", "none"}}

	FirearmConditions = Vocabulary{"firearm_condition", []string{
		"factory", "converted", "reactivated", "craft_made", "3d_printed", "suspected_copy", "replica",
	}}

	LocationTypes = Vocabulary{"location_type", []string{
		"road", "rail", "airport", "postal_hub", "green_border", "inland_checkpoint",
	}}

	Directions = Vocabulary{"direction", []string{"entry", "exit", "transit"}}

	// RecoveryTypes are the SDG indicator 16.4.2 terms.
	RecoveryTypes = Vocabulary{"recovery", []string{"seized", "found", "surrendered"}}

	// NoPersonReasons say why a seizure names no one it was seized from.
	NoPersonReasons = Vocabulary{"no_person", []string{"fled", "not_identified", "unattended", "consignment"}}

	LegalBases = Vocabulary{"legal_basis", []string{
		"illicit_possession", "illicit_import", "illicit_export", "illicit_transit", "illicit_manufacturing",
		"altered_markings", "other_offence",
	}}

	CriminalContexts = Vocabulary{"criminal_context", []string{
		"trafficking", "terrorism", "organised_crime", "drugs", "violent_crime", "other_smuggling", "unknown",
	}}

	DetectionMethods = Vocabulary{"detection", []string{
		"risk_profiling", "intelligence", "random", "previous_history", "dog", "xray", "physical_search", "document_check",
	}}

	TransportModes = Vocabulary{"transport", []string{
		"pedestrian", "car", "bus", "truck", "rail", "air_passenger", "air_cargo", "postal", "pack_animal", "other_transport",
	}}

	ConcealmentMethods = Vocabulary{"concealment", []string{
		"on_person", "baggage", "built_compartment", "natural_void", "among_cargo", "false_declaration", "postal_item", "other_concealment",
	}}

	ContrabandTypes = Vocabulary{"contraband", []string{"drugs", "cash", "explosives", "documents", "other_contraband"}}

	PersonRoles = Vocabulary{"person_role", []string{
		"driver", "passenger", "pedestrian", "consignor", "consignee", "owner", "sender", "recipient",
		"witness", "interpreter", "suspect", "other_person",
	}}

	OrganisationRoles = Vocabulary{"organisation_role", []string{
		"consignor", "consignee", "carrier", "forwarder", "manufacturer", "other_organisation",
	}}

	DocumentTypes = Vocabulary{"document_type", []string{
		"passport", "national_id", "driving_licence", "residence_permit", "seaman_book", "other_document",
	}}

	Sexes = Vocabulary{"sex", []string{"male", "female"}}

	PhotoTags = Vocabulary{"photo_tag", []string{
		"left_side", "right_side", "serial", "marking", "concealment", "packaging", "overview", "other_photo",
	}}
)

// Vocabularies lists every controlled vocabulary, for catalogs and pickers.
var Vocabularies = []Vocabulary{
	Statuses, ItemKinds, FirearmCategories, PartTypes, AmmunitionTypes, ExplosiveTypes, SerialStates,
	FirearmConditions, LocationTypes, Directions, RecoveryTypes, LegalBases, CriminalContexts,
	DetectionMethods, TransportModes, ConcealmentMethods, ContrabandTypes, PersonRoles,
	OrganisationRoles, DocumentTypes, Sexes, PhotoTags, NoPersonReasons,
}
