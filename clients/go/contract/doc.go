// Package contract holds the contract tests of the NpsService API, written against the raw generated
// npsv1 stubs (no helper) and run against a live server at NPS_SERVER_ADDRESS.
package contract
