// Package bundle provides Kordon's export bundle format: the signed file a
// post sends to its regional office on a USB stick or by courier, and the
// signed receipt the office sends back.
//
// A bundle is one zip file, optionally encrypted whole with age to the
// office's X25519 recipient. The zip holds
//
//	records.ndjson   one record version per line (JSON objects)
//	audit.ndjson     audit entries, one per line (JSON objects)
//	media/<sha256>   attachments, named by the SHA-256 of their content
//	manifest.json    what the bundle is, who made it, and the size and
//	                 SHA-256 of every other file, sorted by path
//	manifest.sig     "ed25519 <key id> <base64 signature>\n": the device
//	                 key's signature over ManifestSigPrefix + the exact
//	                 bytes of manifest.json
//
// [Create] writes a bundle as a stream (records, then audit entries, then
// media), never holding it in memory, and makes it appear under its final
// name only once it is complete. [Open] checks a bundle before anything in it
// is trusted: size caps, decryption, a zip whose every byte is accounted for,
// safe entry names, the signature against a key the caller trusts, a strict
// manifest, the destination, and the size and hash of every entry. A
// [Reader] then streams what the bundle holds, checking hashes again as it
// reads.
//
// Keys: each device signs with an Ed25519 [SigningKey]; the office trusts it
// by its [PublicKey] file and [Fingerprint]. The office decrypts with an age
// X25519 identity and signs receipts ([Receipt]) with its own Ed25519 key.
//
// Every refusal is an [*Error]: it names its kind (errors.Is with ErrTampered,
// ErrUnknownKey, …) and carries a message key and arguments the user
// interface translates.
package bundle
