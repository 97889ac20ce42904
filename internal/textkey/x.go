package textkey
