// Package translations embeds the message catalogs, one JSON file per
// language (en.json, ru.json, …), so the binary carries them with it.
package translations

import "embed"

// FS holds every *.json catalog of this folder.
//
//go:embed *.json
var FS embed.FS
